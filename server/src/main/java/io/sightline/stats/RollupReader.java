package io.sightline.stats;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/** Reads the rollup rows of a {@link ReadPlan}'s rolled days from {@code analytics_daily_stats}. */
final class RollupReader {
    static final Table<?> DAILY_STATS = DSL.table(DSL.name("analytics_daily_stats"));
    static final Field<Long> APP_ID = DSL.field(DSL.name("app_id"), SQLDataType.BIGINT);
    static final Field<LocalDate> DAY = DSL.field(DSL.name("day"), SQLDataType.LOCALDATE);
    static final Field<String> EVENT_TYPE = DSL.field(DSL.name("event_type"), SQLDataType.VARCHAR);
    static final Field<String> DIMENSION = DSL.field(DSL.name("dimension"), SQLDataType.VARCHAR);
    static final Field<String> VALUE = DSL.field(DSL.name("value"), SQLDataType.VARCHAR);
    static final Field<Long> EVENTS = DSL.field(DSL.name("events"), SQLDataType.BIGINT);
    static final Field<byte[]> VISITORS = DSL.field(DSL.name("visitors"), SQLDataType.BLOB);
    static final Field<byte[]> SESSIONS = DSL.field(DSL.name("sessions"), SQLDataType.BLOB);

    /** One stored row: what a key function may group by. */
    record Row(LocalDate day, String eventType, String value) {
    }

    private RollupReader() {
    }

    /** The rows of the plan's rolled days, slice and the query's event types. */
    static Condition where(StatsQuery query, ReadPlan plan) {
        Condition c = APP_ID.eq(query.appId()).and(DIMENSION.eq(plan.dimension())).and(DAY.in(plan.rolledDays()));
        if (plan.value() != null) {
            c = c.and(VALUE.eq(plan.value()));
        }
        if (!query.eventTypes().isEmpty()) {
            c = c.and(EVENT_TYPE.in(query.eventTypes()));
        }
        return c;
    }

    /** Adds every row (only those whose value is in {@code values}, unless null) into the tally of its key. */
    static <K> void add(DSLContext sql, StatsQuery query, ReadPlan plan, Collection<String> values,
                        Function<Row, K> key, Map<K, Tally> into) {
        if (!plan.usesRollups()) {
            return;
        }
        Condition where = where(query, plan);
        if (values != null) {
            where = where.and(VALUE.in(values));
        }
        sql.select(DAY, EVENT_TYPE, VALUE, EVENTS, VISITORS, SESSIONS).from(DAILY_STATS).where(where).fetchSize(1_000)
                .forEach(r -> into.computeIfAbsent(key.apply(new Row(r.get(DAY), r.get(EVENT_TYPE), r.get(VALUE))),
                        x -> new Tally()).addRollup(r.get(EVENTS), r.get(VISITORS), r.get(SESSIONS)));
    }
}
