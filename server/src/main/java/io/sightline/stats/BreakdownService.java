package io.sightline.stats;

import io.sightline.rollup.RollupStore;
import io.sightline.store.Dimension;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The top values of one dimension by events, with visitors and sessions, a page at a time (ties by value, so pages
 * are stable). Over rollups, SQL adds up events per value across rolled days and the raw rest and picks the page;
 * only the page's values then have their sketches read and united.
 */
public final class BreakdownService {
    public static final int MAX_LIMIT = 100;
    public static final int MAX_PAGE = 1_000;

    private final JooqRunner db;
    private final DamagedRollups damaged;
    private final RollupStore rollups;

    public BreakdownService(JooqRunner db, DamagedRollups damaged, RollupStore rollups) {
        this.db = db;
        this.damaged = damaged;
        this.rollups = rollups;
    }

    /** One value; {@code ""} stands for events without it. */
    public record Row(String value, long events, long visitors, long sessions) {
    }

    public record Breakdown(String by, int page, int limit, boolean hasMore, List<Row> values, int rolledDays,
                            int rolledMonths) {
    }

    public Breakdown breakdown(StatsQuery query, Dimension by, int limit, int page) throws SQLException {
        return damaged.read(db, sql -> {
            ReadPlan plan = ReadPlanner.plan(sql, rollups, query, Optional.of(by), true, true, damaged);
            List<Row> rows = plan.usesRollups() ? mixed(sql, query, plan, by, limit, page) : raw(sql, query, by, limit, page);
            boolean more = rows.size() > limit;
            return new Breakdown(by.wireName(), page, limit, more, more ? rows.subList(0, limit) : rows,
                    plan.rolledDayCount(), plan.rolledMonths().size());
        });
    }

    /** Raw only: one grouped query with exact uniques; one row more than the page, to tell whether more follow. */
    private static List<Row> raw(DSLContext sql, StatsQuery query, Dimension by, int limit, int page) {
        Table<?> t = DSL.select(EventConditions.value(by).as("k"), EventConditions.VISITOR_ID, EventConditions.SESSION_ID)
                .from(EventConditions.EVENTS).where(EventConditions.of(query)).asTable("t");
        Field<String> k = t.field("k", SQLDataType.VARCHAR);
        Field<Integer> events = DSL.count();
        List<Row> rows = new ArrayList<>();
        for (Record r : sql.select(k, events, DSL.countDistinct(t.field(EventConditions.VISITOR_ID)),
                        DSL.countDistinct(t.field(EventConditions.SESSION_ID)))
                .from(t).groupBy(k).orderBy(events.desc(), k.asc())
                .limit(limit + 1).offset((long) (page - 1) * limit).fetch()) {
            rows.add(new Row(r.get(k), r.get(1, Long.class), r.get(2, Long.class), r.get(3, Long.class)));
        }
        return rows;
    }

    private static List<Row> mixed(DSLContext sql, StatsQuery query, ReadPlan plan, Dimension by, int limit, int page) {
        Field<String> rawValue = EventConditions.value(by);
        Condition rawWhere = EventConditions.of(query, plan.raw());
        Select<Record2<String, BigDecimal>> parts = DSL.select(rawValue.as("k"),
                        DSL.count().cast(SQLDataType.NUMERIC).as("c"))
                .from(EventConditions.EVENTS).where(rawWhere).groupBy(rawValue);
        for (RollupReader.Source source : RollupReader.sources(plan)) {
            parts = parts.unionAll(DSL.select(RollupStore.VALUE.as("k"), DSL.sum(RollupStore.EVENTS).as("c"))
                    .from(source.stats()).where(RollupReader.where(query, plan, source).and(RollupReader.types(query)))
                    .groupBy(RollupStore.VALUE));
        }
        Table<?> counts = parts.asTable("u");
        Field<String> k = counts.field("k", SQLDataType.VARCHAR);
        Field<BigDecimal> total = DSL.sum(counts.field("c", SQLDataType.NUMERIC));
        List<String> values = new ArrayList<>();
        for (Record r : sql.select(k, total).from(counts).groupBy(k).orderBy(total.desc(), k.asc())
                .limit(limit + 1).offset((long) (page - 1) * limit).fetch()) {
            values.add(r.get(k));
        }
        if (values.isEmpty()) {
            return List.of();
        }
        Map<String, Tally> byValue = new HashMap<>();
        RollupReader.add(sql, query, plan, values, RollupReader.Row::value, byValue);
        if (!plan.raw().isEmpty()) {
            RawReader.ids(sql, rawWhere.and(rawValue.in(values)), rawValue, byValue);
        }
        List<Row> rows = new ArrayList<>(values.size());
        for (String value : values) {
            Tally t = byValue.getOrDefault(value, new Tally());
            rows.add(new Row(value, t.events(), t.visitors(), t.sessions()));
        }
        return rows;
    }
}
