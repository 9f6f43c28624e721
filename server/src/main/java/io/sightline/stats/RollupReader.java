package io.sightline.stats;

import io.sightline.rollup.RollupStore;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.sightline.rollup.RollupStore.ALL_TYPES;
import static io.sightline.rollup.RollupStore.APP_ID;
import static io.sightline.rollup.RollupStore.DAY;
import static io.sightline.rollup.RollupStore.DIMENSION;
import static io.sightline.rollup.RollupStore.EVENTS;
import static io.sightline.rollup.RollupStore.EVENT_TYPE;
import static io.sightline.rollup.RollupStore.SESSIONS;
import static io.sightline.rollup.RollupStore.SESSION_COUNT;
import static io.sightline.rollup.RollupStore.VALUE;
import static io.sightline.rollup.RollupStore.VISITORS;
import static io.sightline.rollup.RollupStore.VISITOR_COUNT;

/**
 * Reads the rollup rows of a {@link ReadPlan} through {@link RollupStore}: its rolled months from the monthly stats
 * rows, its other rolled days from the daily ones (the same columns; a month's row has its first day as {@code day}).
 * A row whose sketch does not read back throws {@link DamagedRollups.CorruptRow} naming its day or month.
 */
final class RollupReader {
    /** One stored row: what a key function may group by ({@code day} is a month's first day for a monthly row). */
    record Row(LocalDate day, String eventType, String value) {
    }

    /**
     * One table of stats rows, its table of conversion values, and the plan's days (or months) read from them, each
     * with its rolled_at.
     */
    record Source(Table<?> stats, Table<?> values, List<LocalDate> days, boolean months,
                  Map<LocalDate, Instant> rolledAt) {
        /** The exception for a row of {@code day} whose sketch did not read back. */
        DamagedRollups.CorruptRow corrupt(long appId, LocalDate day, IllegalArgumentException cause) {
            return new DamagedRollups.CorruptRow(new DamagedRollups.Part(appId, months, day, rolledAt.get(day)), cause);
        }
    }

    private RollupReader() {
    }

    /** The tables the plan reads, each with its days; empty when the plan reads no rollups. */
    static List<Source> sources(ReadPlan plan) {
        List<Source> sources = new ArrayList<>(2);
        if (!plan.rolledMonths().isEmpty()) {
            sources.add(new Source(RollupStore.MONTHLY_STATS, RollupStore.MONTHLY_VALUES, plan.rolledMonths(), true, plan.monthsRolledAt()));
        }
        if (!plan.rolledDays().isEmpty()) {
            sources.add(new Source(RollupStore.DAILY_STATS, RollupStore.DAILY_VALUES, plan.rolledDays(), false, plan.rolledAt()));
        }
        return sources;
    }

    /**
     * The rows that answer the query as a whole: with no event type asked for, the all-types rows (one sketch per
     * day or month instead of one per type); otherwise the rows of the asked-for types.
     */
    static Condition types(StatsQuery query) {
        return query.eventTypes().isEmpty() ? EVENT_TYPE.eq(ALL_TYPES) : EVENT_TYPE.in(query.eventTypes());
    }

    /** The rows of one event type each (never the all-types rows), of the query's types if it names any. */
    static Condition eachType(StatsQuery query) {
        return query.eventTypes().isEmpty() ? EVENT_TYPE.ne(ALL_TYPES) : EVENT_TYPE.in(query.eventTypes());
    }

    /** The rows of the source's days and the plan's slice (no event type condition). */
    static Condition where(StatsQuery query, ReadPlan plan, Source source) {
        Condition c = APP_ID.eq(query.appId()).and(DIMENSION.eq(plan.dimension())).and(DAY.in(source.days()));
        return plan.value() == null ? c : c.and(VALUE.eq(plan.value()));
    }

    /** Adds every row of {@link #types} (only those whose value is in {@code values}, unless null) into its key's tally. */
    static <K> void add(DSLContext sql, StatsQuery query, ReadPlan plan, Collection<String> values,
                        Function<Row, K> key, Map<K, Tally> into) {
        add(sql, query, plan, types(query), values, key, into);
    }

    /** As {@link #add(DSLContext, StatsQuery, ReadPlan, Collection, Function, Map)}, for rows of {@code types}. */
    static <K> void add(DSLContext sql, StatsQuery query, ReadPlan plan, Condition types, Collection<String> values,
                        Function<Row, K> key, Map<K, Tally> into) {
        for (Source source : sources(plan)) {
            Condition where = where(query, plan, source).and(types);
            if (values != null) {
                where = where.and(VALUE.in(values));
            }
            sql.select(DAY, EVENT_TYPE, VALUE, EVENTS, VISITORS, SESSIONS).from(source.stats()).where(where)
                    .fetchSize(1_000)
                    .forEach(r -> {
                        Tally tally = into.computeIfAbsent(key.apply(new Row(r.get(DAY), r.get(EVENT_TYPE),
                                r.get(VALUE))), x -> new Tally());
                        try {
                            tally.addRollup(r.get(EVENTS), r.get(VISITORS), r.get(SESSIONS));
                        } catch (IllegalArgumentException e) {
                            throw source.corrupt(query.appId(), r.get(DAY), e);
                        }
                    });
        }
    }

    /**
     * As {@link #add(DSLContext, StatsQuery, ReadPlan, Collection, Function, Map)} for a caller whose keys each get
     * exactly one rollup row and, unless the row is of a partial day, nothing else (a daily timeseries of all event
     * types or one): a whole day's stored unique counts are used as they are; sketches are fetched only for partial
     * days (their bucket also gets the raw rest) and for rows rolled before those counts existed.
     */
    static <K> void addOwnCounts(DSLContext sql, StatsQuery query, ReadPlan plan, Function<Row, K> key,
                                 Map<K, Tally> into) {
        Condition sketched = VISITOR_COUNT.isNull().or(SESSION_COUNT.isNull());
        if (!plan.partialDays().isEmpty()) {
            sketched = sketched.or(DAY.in(plan.partialDays()));
        }
        Field<byte[]> visitors = DSL.when(sketched, VISITORS).as("v");
        Field<byte[]> sessions = DSL.when(sketched, SESSIONS).as("s");
        for (Source source : sources(plan)) {
            sql.select(DAY, EVENT_TYPE, VALUE, EVENTS, VISITOR_COUNT, SESSION_COUNT, visitors, sessions)
                    .from(source.stats()).where(where(query, plan, source).and(types(query)))
                    .forEach(r -> {
                        Tally tally = into.computeIfAbsent(key.apply(new Row(r.get(DAY), r.get(EVENT_TYPE),
                                r.get(VALUE))), x -> new Tally());
                        if (r.get(visitors) == null) {
                            tally.addExact(r.get(EVENTS), r.get(VISITOR_COUNT), r.get(SESSION_COUNT));
                        } else {
                            try {
                                tally.addRollup(r.get(EVENTS), r.get(visitors), r.get(sessions));
                            } catch (IllegalArgumentException e) {
                                throw source.corrupt(query.appId(), r.get(DAY), e);
                            }
                        }
                    });
        }
    }

    /** Events per event type over the plan's rollups (no sketches read). */
    static Map<String, Long> eventsByType(DSLContext sql, StatsQuery query, ReadPlan plan) {
        Map<String, Long> events = new HashMap<>();
        for (Source source : sources(plan)) {
            for (Record r : sql.select(EVENT_TYPE, DSL.sum(EVENTS)).from(source.stats())
                    .where(where(query, plan, source).and(eachType(query))).groupBy(EVENT_TYPE).fetch()) {
                events.merge(r.get(EVENT_TYPE), r.get(1, Long.class), Long::sum);
            }
        }
        return events;
    }
}
