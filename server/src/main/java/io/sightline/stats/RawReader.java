package io.sightline.stats;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

import java.util.HashMap;
import java.util.Map;

import static io.sightline.stats.EventConditions.EVENTS;
import static io.sightline.stats.EventConditions.SESSION_ID;
import static io.sightline.stats.EventConditions.VISITOR_ID;

/**
 * Aggregates raw events per key. The key is computed in a derived table and grouped by its alias, so that a key
 * expression with bound values (a time zone) is not repeated with different parameters in GROUP BY.
 */
final class RawReader {
    private RawReader() {
    }

    /** Per key and over all keys: events and exact unique visitors and sessions (COUNT DISTINCT). */
    record Exact<K>(Map<K, Tally> byKey, Tally total) {
    }

    static <K> Exact<K> exact(DSLContext sql, Condition where, Field<K> key) {
        Table<?> t = DSL.select(key.as("k"), VISITOR_ID, SESSION_ID).from(EVENTS).where(where).asTable("t");
        Field<K> k = t.field("k", key.getType());
        Field<Integer> grouping = DSL.grouping(k);
        Map<K, Tally> byKey = new HashMap<>();
        Tally total = new Tally();
        for (Record r : sql.select(k, grouping, DSL.count(), DSL.countDistinct(t.field(VISITOR_ID)),
                        DSL.countDistinct(t.field(SESSION_ID)))
                .from(t).groupBy(DSL.groupingSets(new Field<?>[] {k}, new Field<?>[0])).fetch()) {
            Tally tally = r.get(1, Integer.class) == 1 ? total : byKey.computeIfAbsent(r.get(0, key.getType()), x -> new Tally());
            tally.addExact(r.get(2, Long.class), r.get(3, Long.class), r.get(4, Long.class));
        }
        return new Exact<>(byKey, total);
    }

    /** Adds each key's events and visitor and session ids to the key's sketches (raw part of a mixed read). */
    static <K> void ids(DSLContext sql, Condition where, Field<K> key, Map<K, Tally> into) {
        Table<?> t = DSL.select(key.as("k"), VISITOR_ID, SESSION_ID).from(EVENTS).where(where).asTable("t");
        Field<K> k = t.field("k", key.getType());
        Field<String> visitor = t.field(VISITOR_ID);
        Field<String> session = t.field(SESSION_ID);
        sql.select(k, visitor, session, DSL.count()).from(t).groupBy(k, visitor, session).fetchSize(10_000)
                .forEach(r -> into.computeIfAbsent(r.get(k), x -> new Tally())
                        .addIds(r.get(visitor), r.get(session), r.get(3, Long.class)));
    }
}
