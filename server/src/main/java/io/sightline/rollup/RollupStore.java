package io.sightline.rollup;

import io.sightline.store.LateMarkStore;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollup tables as the stats queries read them (V5, V9, V10 and V11 are the contract): which local days and
 * months are rolled, and the tables and columns of their rows as jOOQ parts. The rollup package owns these tables;
 * this is the one way in for a reader outside it, so no other package names them.
 *
 * <p>Stateless: its reads run on the caller's {@link DSLContext}, so a stats query plans and reads its rows on one
 * connection.
 */
public final class RollupStore {
    public static final Table<?> DAILY_STATS = DSL.table(DSL.name("analytics_daily_stats"));
    /** The same columns as {@link #DAILY_STATS}; a month's row has the month's first day as {@link #DAY}. */
    public static final Table<?> MONTHLY_STATS = DSL.table(DSL.name("analytics_monthly_stats"));
    /** Conversion values per currency, keyed as the stats rows. */
    public static final Table<?> DAILY_VALUES = DSL.table(DSL.name("analytics_daily_values"));
    public static final Table<?> MONTHLY_VALUES = DSL.table(DSL.name("analytics_monthly_values"));

    public static final Field<Long> APP_ID = DSL.field(DSL.name("app_id"), SQLDataType.BIGINT);
    public static final Field<LocalDate> DAY = DSL.field(DSL.name("day"), SQLDataType.LOCALDATE);
    public static final Field<String> EVENT_TYPE = DSL.field(DSL.name("event_type"), SQLDataType.VARCHAR);
    public static final Field<String> DIMENSION = DSL.field(DSL.name("dimension"), SQLDataType.VARCHAR);
    public static final Field<String> VALUE = DSL.field(DSL.name("value"), SQLDataType.VARCHAR);
    public static final Field<Long> EVENTS = DSL.field(DSL.name("events"), SQLDataType.BIGINT);
    public static final Field<byte[]> VISITORS = DSL.field(DSL.name("visitors"), SQLDataType.BLOB);
    public static final Field<byte[]> SESSIONS = DSL.field(DSL.name("sessions"), SQLDataType.BLOB);
    /** The visitors sketch's own estimate (V10); null in rows rolled before it existed. */
    public static final Field<Long> VISITOR_COUNT = DSL.field(DSL.name("visitor_count"), SQLDataType.BIGINT);
    public static final Field<Long> SESSION_COUNT = DSL.field(DSL.name("session_count"), SQLDataType.BIGINT);
    public static final Field<String> CURRENCY = DSL.field(DSL.name("currency"), SQLDataType.VARCHAR);
    public static final Field<Long> CONVERSIONS = DSL.field(DSL.name("conversions"), SQLDataType.BIGINT);
    public static final Field<BigDecimal> VALUE_SUM = DSL.field(DSL.name("value_sum"), SQLDataType.NUMERIC);
    /** The event type of the rows that count all event types together. */
    public static final String ALL_TYPES = DayRollup.ALL_TYPES;

    private static final String ROLLED_DAYS = "SELECT d.day, d.until, d.rolled_at FROM rollup_days d"
            + " WHERE d.app_id = ? AND d.day BETWEEN ? AND ? AND d.time_zone = ?"
            + " AND NOT " + LateMarkStore.markNear("d.app_id", "d.day") + " ORDER BY d.day";
    private static final String ROLLED_MONTHS = "SELECT day, rolled_at FROM rollup_months"
            + " WHERE app_id = ? AND day BETWEEN ? AND ? AND time_zone = ? ORDER BY day";

    /**
     * A rolled local day: its rows count the whole day when {@code until} is null, otherwise (a day in progress)
     * only the events before {@code until}. {@code rolledAt} tells one roll of the day from the next.
     */
    public record RolledDay(LocalDate day, Instant until, Instant rolledAt) {}

    /** A local month whose monthly rows merge the rows of all its days, by its first day. */
    public record RolledMonth(LocalDate month, Instant rolledAt) {}

    private RollupStore() {
    }

    /**
     * The days in [{@code first}, {@code last}] rolled for {@code appId} in {@code zone}, in order, leaving out every
     * day a late-event mark may touch (one on the UTC date before, of or after it): those rows are stale.
     */
    public static List<RolledDay> rolledDays(DSLContext sql, long appId, LocalDate first, LocalDate last,
                                             ZoneId zone) {
        List<RolledDay> days = new ArrayList<>();
        for (Record r : sql.fetch(ROLLED_DAYS, appId, first, last, zone.getId())) {
            OffsetDateTime until = r.get(1, OffsetDateTime.class);
            days.add(new RolledDay(r.get(0, LocalDate.class), until == null ? null : until.toInstant(),
                    r.get(2, OffsetDateTime.class).toInstant()));
        }
        return days;
    }

    /** The months (by first day) in [{@code first}, {@code last}] built for {@code appId} in {@code zone}, in order. */
    public static List<RolledMonth> rolledMonths(DSLContext sql, long appId, LocalDate first, LocalDate last,
                                                 ZoneId zone) {
        List<RolledMonth> months = new ArrayList<>();
        for (Record r : sql.fetch(ROLLED_MONTHS, appId, first, last, zone.getId())) {
            months.add(new RolledMonth(r.get(0, LocalDate.class), r.get(1, OffsetDateTime.class).toInstant()));
        }
        return months;
    }
}
