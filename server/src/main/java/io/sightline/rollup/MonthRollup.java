package io.sightline.rollup;

import io.sightline.store.Dimension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The monthly rollups (V9__monthly_rollups.sql): one month of one app merged from its daily rows, so that a long
 * range unites one sketch per month instead of one per day. A month is built only when every one of its days is
 * rolled in the same time zone; it is rebuilt (or removed, when no longer complete) in the transaction of every
 * roll-up of one of its days, so the monthly rows always equal the merge of the daily rows they stand for.
 *
 * <p>The daily rows are read one dimension at a time, which bounds memory to one dimension's keys of the month.
 */
final class MonthRollup {
    private static final String COMPLETE = "SELECT count(*) FROM rollup_days WHERE app_id = ? AND day BETWEEN ? AND ?"
            + " AND time_zone = ? AND until IS NULL";
    private static final String MISSING = "SELECT m FROM (SELECT date_trunc('month', day)::date AS m, count(*) AS n"
            + " FROM rollup_days WHERE app_id = ? AND time_zone = ? AND until IS NULL GROUP BY 1) d"
            + " WHERE n = extract(day FROM (m + interval '1 month' - interval '1 day'))"
            + " AND NOT EXISTS (SELECT 1 FROM rollup_months r WHERE r.app_id = ? AND r.day = d.m AND r.time_zone = ?)"
            + " ORDER BY m";
    private static final String READ_DAYS = "SELECT event_type, value, events, visitors, sessions"
            + " FROM analytics_daily_stats WHERE app_id = ? AND dimension = ? AND day BETWEEN ? AND ?";
    private static final String INSERT_VALUES = "INSERT INTO analytics_monthly_values"
            + " (app_id, day, dimension, value, currency, conversions, value_sum)"
            + " SELECT app_id, ?, dimension, value, currency, sum(conversions), sum(value_sum)"
            + " FROM analytics_daily_values WHERE app_id = ? AND day BETWEEN ? AND ?"
            + " GROUP BY app_id, dimension, value, currency";
    private static final String INSERT_MONTH = "INSERT INTO rollup_months (app_id, day, time_zone, rolled_at)"
            + " VALUES (?, ?, ?, ?)";

    private static final Logger log = LoggerFactory.getLogger(MonthRollup.class);

    private record Key(String eventType, String value) {}

    private MonthRollup() {
    }

    /**
     * Rebuilds the month holding {@code day} on connection {@code c} (inside the caller's transaction): deletes its
     * monthly rows and, if every day of it is rolled in {@code timeZone}, merges them anew. Returns whether it built.
     */
    static boolean rebuild(Connection c, long appId, LocalDate day, String timeZone, Instant now) throws SQLException {
        LocalDate first = day.withDayOfMonth(1);
        LocalDate last = day.withDayOfMonth(day.lengthOfMonth());
        clear(c, appId, day);
        if (rolledDays(c, appId, first, last, timeZone) < day.lengthOfMonth()) {
            return false;
        }
        List<String> dimensions = new ArrayList<>(List.of(DayRollup.ALL));
        for (Dimension d : Dimension.values()) {
            dimensions.add(d.wireName());
        }
        try {
            for (String dimension : dimensions) {
                insertStats(c, appId, first, dimension, read(c, appId, dimension, first, last));
            }
        } catch (IllegalArgumentException e) {
            // A damaged daily sketch: readers use the daily rows (and read that day raw) until it is rolled again;
            // failing here instead would fail every roll of the month's other days.
            clear(c, appId, day);
            log.warn("Month {} of app {} is left unbuilt: a daily rollup of it is damaged ({}); a backfill of its"
                    + " days repairs it", first, appId, e.getMessage());
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_VALUES)) {
            ps.setObject(1, first);
            ps.setLong(2, appId);
            ps.setObject(3, first);
            ps.setObject(4, last);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_MONTH)) {
            ps.setLong(1, appId);
            ps.setObject(2, first);
            ps.setString(3, timeZone);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        }
        return true;
    }

    /**
     * Deletes the monthly rows of the month holding {@code day} (inside the caller's transaction), so that readers
     * use its daily rows until it is rebuilt.
     */
    static void clear(Connection c, long appId, LocalDate day) throws SQLException {
        LocalDate first = day.withDayOfMonth(1);
        // Serialises the changes to one month by rolls of different days of it (each holds only its day's lock);
        // taken after the day's lock, always in that order.
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, "sightline-rollup-month/" + appId + "/" + first);
            lock.execute();
        }
        for (String table : List.of("analytics_monthly_stats", "analytics_monthly_values", "rollup_months")) {
            // table is one of the constants above, never input
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE app_id = ? AND day = ?")) {
                ps.setLong(1, appId);
                ps.setObject(2, first);
                ps.executeUpdate();
            }
        }
    }

    /** The first days of the app's months whose days are all rolled in {@code timeZone} but that are not built. */
    static List<LocalDate> missing(Connection c, long appId, String timeZone) throws SQLException {
        List<LocalDate> months = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(MISSING)) {
            ps.setLong(1, appId);
            ps.setString(2, timeZone);
            ps.setLong(3, appId);
            ps.setString(4, timeZone);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    months.add(rs.getObject(1, LocalDate.class));
                }
            }
        }
        return months;
    }

    private static long rolledDays(Connection c, long appId, LocalDate first, LocalDate last, String timeZone)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
            ps.setLong(1, appId);
            ps.setObject(2, first);
            ps.setObject(3, last);
            ps.setString(4, timeZone);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<Key, DayRollup.Merged> read(Connection c, long appId, String dimension, LocalDate first,
                                                   LocalDate last) throws SQLException {
        Map<Key, DayRollup.Merged> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(READ_DAYS)) {
            ps.setFetchSize(5_000);
            ps.setLong(1, appId);
            ps.setString(2, dimension);
            ps.setObject(3, first);
            ps.setObject(4, last);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.computeIfAbsent(new Key(rs.getString(1), rs.getString(2)), k -> new DayRollup.Merged())
                            .add(rs.getLong(3), rs.getBytes(4), rs.getBytes(5));
                }
            }
        }
        return rows;
    }

    private static void insertStats(Connection c, long appId, LocalDate month, String dimension,
                                    Map<Key, DayRollup.Merged> rows) throws SQLException {
        StatsRows out = new StatsRows();
        rows.forEach((key, row) -> out.add(key.eventType(), dimension, key.value(), row.events, row.visitors,
                row.sessions));
        out.insert(c, StatsRows.Table.MONTHLY, appId, month);
    }
}
