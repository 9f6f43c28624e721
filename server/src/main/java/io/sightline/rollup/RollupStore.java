package io.sightline.rollup;

import io.sightline.funnel.FunnelDefinition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The rollup tables as the stats queries read them (V5, V9, V10 and V11 are the contract): which local days and
 * months are rolled, and the tables and columns of their rows as jOOQ parts. The rollup package owns these tables;
 * this is the one way in for a reader outside it, so no other package names them.
 *
 * <p>The reads run on the caller's {@link DSLContext}, so a stats query plans and reads its rows on one connection
 * (one snapshot). {@link SqlRollupStore} is the implementation over PostgreSQL.
 */
public interface RollupStore {
    Table<?> DAILY_STATS = DSL.table(DSL.name("analytics_daily_stats"));
    /** The same columns as {@link #DAILY_STATS}; a month's row has the month's first day as {@link #DAY}. */
    Table<?> MONTHLY_STATS = DSL.table(DSL.name("analytics_monthly_stats"));
    /** Conversion values per currency, keyed as the stats rows. */
    Table<?> DAILY_VALUES = DSL.table(DSL.name("analytics_daily_values"));
    Table<?> MONTHLY_VALUES = DSL.table(DSL.name("analytics_monthly_values"));

    Field<Long> APP_ID = DSL.field(DSL.name("app_id"), SQLDataType.BIGINT);
    Field<LocalDate> DAY = DSL.field(DSL.name("day"), SQLDataType.LOCALDATE);
    Field<String> EVENT_TYPE = DSL.field(DSL.name("event_type"), SQLDataType.VARCHAR);
    Field<String> DIMENSION = DSL.field(DSL.name("dimension"), SQLDataType.VARCHAR);
    Field<String> VALUE = DSL.field(DSL.name("value"), SQLDataType.VARCHAR);
    Field<Long> EVENTS = DSL.field(DSL.name("events"), SQLDataType.BIGINT);
    Field<byte[]> VISITORS = DSL.field(DSL.name("visitors"), SQLDataType.BLOB);
    Field<byte[]> SESSIONS = DSL.field(DSL.name("sessions"), SQLDataType.BLOB);
    /** The visitors sketch's own estimate (V10); null in rows rolled before it existed. */
    Field<Long> VISITOR_COUNT = DSL.field(DSL.name("visitor_count"), SQLDataType.BIGINT);
    Field<Long> SESSION_COUNT = DSL.field(DSL.name("session_count"), SQLDataType.BIGINT);
    Field<String> CURRENCY = DSL.field(DSL.name("currency"), SQLDataType.VARCHAR);
    Field<Long> CONVERSIONS = DSL.field(DSL.name("conversions"), SQLDataType.BIGINT);
    Field<BigDecimal> VALUE_SUM = DSL.field(DSL.name("value_sum"), SQLDataType.NUMERIC);
    /** The event type of the rows that count all event types together. */
    String ALL_TYPES = DayRollup.ALL_TYPES;

    /**
     * A rolled local day: its rows count the whole day when {@code until} is null, otherwise (a day in progress)
     * only the events before {@code until}. {@code rolledAt} tells one roll of the day from the next.
     */
    record RolledDay(LocalDate day, Instant until, Instant rolledAt) {}

    /** A local month whose monthly rows merge the rows of all its days, by its first day. */
    record RolledMonth(LocalDate month, Instant rolledAt) {}

    /**
     * The days in [{@code first}, {@code last}] rolled for {@code appId} in {@code zone}, in order, leaving out every
     * day a late-event mark may touch (one on the UTC date before, of or after it): those rows are stale.
     */
    List<RolledDay> rolledDays(DSLContext sql, long appId, LocalDate first, LocalDate last, ZoneId zone);

    /** One day's funnel rows (V19) of one definition: per level k at index k-1, its actors' sketch and gap histogram. */
    record FunnelDay(LocalDate day, byte[][] actors, byte[][] gaps) {}

    /**
     * The days in [{@code first}, {@code last}] whose funnel rows of {@code definition} were rolled for
     * {@code appId} in {@code zone}, in order, leaving out every day a late-event mark may touch: one on a UTC date
     * from the day before to the last date the rows read (the day's end plus the window).
     */
    List<FunnelDay> funnelDays(DSLContext sql, long appId, FunnelDefinition definition, LocalDate first, LocalDate last,
                               ZoneId zone);

    /** The months (by first day) in [{@code first}, {@code last}] built for {@code appId} in {@code zone}, in order. */
    List<RolledMonth> rolledMonths(DSLContext sql, long appId, LocalDate first, LocalDate last, ZoneId zone);
}
