package io.sightline.stats;

import io.sightline.store.Dimension;
import io.sightline.store.EventTable;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The jOOQ pieces over the stored events ({@link EventTable}) that every stats query shares. Column names and dimension
 * expressions come only from constants here and from {@link Dimension}; every value from a request is bound.
 */
public final class EventConditions {
    public static final Table<?> EVENTS = EventTable.TABLE;
    public static final Field<Long> APP_ID = DSL.field(DSL.name("app_id"), SQLDataType.BIGINT);
    public static final Field<Instant> OCCURRED_AT = DSL.field(DSL.name("occurred_at"), SQLDataType.INSTANT);
    public static final Field<String> EVENT_TYPE = DSL.field(DSL.name("event_type"), SQLDataType.VARCHAR);
    public static final Field<String> VISITOR_ID = DSL.field(DSL.name("visitor_id"), SQLDataType.VARCHAR);
    public static final Field<String> SESSION_ID = DSL.field(DSL.name("session_id"), SQLDataType.VARCHAR);

    private EventConditions() {
    }

    /**
     * A dimension's value as the rollups keep it: the expression from the whitelist, with "not set" as {@code ''}.
     */
    public static Field<String> value(Dimension dimension) {
        return DSL.coalesce(DSL.field(dimension.sql(), SQLDataType.VARCHAR), DSL.inline(""));
    }

    /**
     * Every event the query asks for: its app, its range, its event types and filters. Like the rollups, this
     * counts every stored event, including those stored flagged as bots (SIGHTLINE_KEEP_BOTS=true).
     */
    public static Condition of(StatsQuery query) {
        return of(query, query.from(), query.to());
    }

    /** As {@link #of(StatsQuery)}, over {@code [from, to)} instead of the query's own range. */
    public static Condition of(StatsQuery query, Instant from, Instant to) {
        return selection(query).and(OCCURRED_AT.ge(from)).and(OCCURRED_AT.lt(to));
    }

    /** As {@link #of(StatsQuery)}, over the union of the given {@code [from, to)} ranges (none: nothing). */
    public static Condition of(StatsQuery query, List<TimeRange> ranges) {
        List<Condition> any = new ArrayList<>();
        for (TimeRange range : ranges) {
            any.add(OCCURRED_AT.ge(range.from()).and(OCCURRED_AT.lt(range.to())));
        }
        return selection(query).and(any.isEmpty() ? DSL.falseCondition() : DSL.or(any));
    }

    /** App, event types and filters, without any time range. */
    public static Condition selection(StatsQuery query) {
        Condition c = APP_ID.eq(query.appId());
        if (!query.eventTypes().isEmpty()) {
            c = c.and(EVENT_TYPE.in(query.eventTypes()));
        }
        for (Filter filter : query.filters()) {
            c = c.and(condition(filter));
        }
        return c;
    }

    static Condition condition(Filter filter) {
        Field<String> value = value(filter.dimension());
        return switch (filter.operator()) {
            case EQ -> value.eq(filter.values().get(0));
            case NEQ -> value.ne(filter.values().get(0));
            case IN -> value.in(filter.values());
        };
    }
}
