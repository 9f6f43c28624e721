package io.sightline.rollup;

import io.sightline.sketch.UniqueSketch;
import io.sightline.store.Database;
import io.sightline.store.Dimension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RollupServiceTest {
    private static final LocalDate FIRST = LocalDate.of(2026, 3, 1);
    private static final int DAYS = 30;
    private static Database db;
    private static RollupService service;
    private static long app;

    @BeforeAll
    static void generateAndRollThirtyDays() throws Exception {
        db = RollupDatabase.open();
        service = new RollupService(db.dataSource(), Clock.systemUTC());
        try (Connection c = db.dataSource().getConnection()) {
            app = EventFixture.createApp(c, "rollups", "UTC", 365);
        }
        Instant from = FIRST.atStartOfDay(ZoneOffset.UTC).toInstant();
        new EventFixture(db.dataSource(), 42, 20_000).insert(app, from, from.plusSeconds(86_400L * DAYS), 30_000);
        for (int d = 0; d < DAYS; d++) {
            service.rollUp(app, FIRST.plusDays(d));
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void event_counts_equal_raw_sql_for_every_type_and_every_dimension_value() throws Exception {
        Map<String, Long> raw = counts("SELECT (occurred_at AT TIME ZONE 'UTC')::date, event_type, '', '', count(*)"
                + " FROM analytics_events WHERE app_id = ? GROUP BY 1, 2");
        for (Dimension d : Dimension.values()) {
            raw.putAll(counts("SELECT (occurred_at AT TIME ZONE 'UTC')::date, event_type, '" + d.wireName() + "',"
                    + " coalesce(" + d.sql() + ", ''), count(*) FROM analytics_events WHERE app_id = ? GROUP BY 1, 2, 4"));
        }
        Map<String, Long> rolled = counts("SELECT day, event_type, dimension, value, events FROM analytics_daily_stats"
                + " WHERE app_id = ? AND event_type <> '*'");
        assertThat(raw).hasSizeGreaterThan(DAYS * 6 * 50);
        assertThat(rolled).isEqualTo(raw);
        assertThat(counts("SELECT day, '', '', '', events FROM rollup_days WHERE app_id = ?").values())
                .hasSize(DAYS).allSatisfy(n -> assertThat(n).isBetween(800L, 1_200L));
    }

    @Test
    void conversion_value_sums_are_exact_per_currency_and_dimension_value() throws Exception {
        String conversions = " FROM analytics_events WHERE app_id = ? AND event_type = 'conversion'"
                + " AND jsonb_typeof(properties->'value') = 'number' AND jsonb_typeof(properties->'currency') = 'string'";
        Map<String, String> raw = sums("SELECT (occurred_at AT TIME ZONE 'UTC')::date, '', '', properties->>'currency',"
                + " count(*), sum((properties->>'value')::numeric)" + conversions + " GROUP BY 1, 4");
        for (Dimension d : Dimension.values()) {
            raw.putAll(sums("SELECT (occurred_at AT TIME ZONE 'UTC')::date, '" + d.wireName() + "', coalesce("
                    + d.sql() + ", ''), properties->>'currency', count(*), sum((properties->>'value')::numeric)"
                    + conversions + " GROUP BY 1, 3, 4"));
        }
        Map<String, String> rolled = sums("SELECT day, dimension, value, currency, conversions, value_sum"
                + " FROM analytics_daily_values WHERE app_id = ?");
        assertThat(raw).hasSizeGreaterThan(DAYS * 2 * 20);
        assertThat(rolled).isEqualTo(raw);
    }

    @Test
    void unique_visitors_and_sessions_of_a_thirty_day_union_are_within_two_percent_of_count_distinct() throws Exception {
        for (String column : List.of("visitors", "sessions")) {
            String id = column.equals("visitors") ? "visitor_id" : "session_id";
            assertThat(union(column, "dimension = '' AND value = ''"))
                    .isCloseTo(distinct(id, "true"), within(0.02 * distinct(id, "true")));
            assertThat(union(column, "dimension = 'country' AND value = 'DE'"))
                    .isCloseTo(distinct(id, "country = 'DE'"), within(0.02 * distinct(id, "country = 'DE'")));
            assertThat(union(column, "dimension = 'os' AND value = '' AND event_type = 'conversion'"))
                    .isCloseTo(distinct(id, "os IS NULL AND event_type = 'conversion'"),
                            within(0.02 * distinct(id, "os IS NULL AND event_type = 'conversion'")));
        }
        assertThat(distinct("visitor_id", "true")).isGreaterThan(5_000);
    }

    @Test
    void rolling_a_day_again_replaces_its_rows_instead_of_adding_to_them() throws Exception {
        LocalDate day = FIRST.plusDays(3);
        Map<String, Object> before = snapshot(day);
        service.rollUp(app, day);
        assertThat(snapshot(day)).isEqualTo(before);

        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM analytics_events WHERE app_id = ? AND event_type = 'qr_scan'"
                        + " AND occurred_at >= ? AND occurred_at < ?")) {
            ps.setLong(1, app);
            ps.setObject(2, day.atStartOfDay().atOffset(ZoneOffset.UTC));
            ps.setObject(3, day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            assertThat(ps.executeUpdate()).isPositive();
        }
        RollupService.Result again = service.rollUp(app, day);
        Map<String, Object> after = snapshot(day);
        assertThat(after.keySet()).noneMatch(k -> k.startsWith("qr_scan|"));
        assertThat(after.get("day")).isEqualTo(again.events());
        assertThat((Long) after.get("day")).isLessThan((Long) before.get("day"));
        service.rollUp(app, day);
        assertThat(snapshot(day)).isEqualTo(after);
    }

    @Test
    void a_day_without_events_is_recorded_as_rolled_with_no_rows() throws Exception {
        LocalDate empty = FIRST.minusDays(10);
        RollupService.Result result = service.rollUp(app, empty);
        assertThat(result.events()).isZero();
        assertThat(snapshot(empty)).containsOnly(Map.entry("day", 0L));
    }

    @Test
    void events_land_on_the_local_day_of_the_apps_time_zone_across_a_daylight_saving_change() throws Exception {
        long ny;
        try (Connection c = db.dataSource().getConnection()) {
            ny = EventFixture.createApp(c, "new york", "America/New_York", 365);
        }
        // 2026-03-08 is the spring-forward day in New York: it starts at 05:00Z and ends at 04:00Z on the 9th.
        new EventFixture(db.dataSource(), 7, 10).insert(ny, List.of(
                Instant.parse("2026-03-08T04:59:59Z"),  // 23:59:59 on the 7th
                Instant.parse("2026-03-08T05:00:00Z"),  // 00:00 on the 8th
                Instant.parse("2026-03-08T23:30:00Z"),  // 19:30 on the 8th
                Instant.parse("2026-03-09T03:59:59Z"),  // 23:59:59 EDT on the 8th
                Instant.parse("2026-03-09T04:00:00Z"))); // 00:00 EDT on the 9th
        assertThat(service.rollUp(ny, LocalDate.of(2026, 3, 7)).events()).isEqualTo(1);
        assertThat(service.rollUp(ny, LocalDate.of(2026, 3, 8)).events()).isEqualTo(3);
        assertThat(service.rollUp(ny, LocalDate.of(2026, 3, 9)).events()).isEqualTo(1);
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT time_zone, sum(events) FROM rollup_days WHERE app_id = ? GROUP BY 1")) {
            ps.setLong(1, ny);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("America/New_York");
                assertThat(rs.getLong(2)).isEqualTo(5);
            }
        }
        assertThat(eventsOf(ny, LocalDate.of(2026, 3, 8))).isEqualTo(3);
    }

    @Test
    void sketches_are_stored_as_unique_sketches() throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT visitors FROM analytics_daily_stats WHERE app_id = ? AND dimension = '' LIMIT 1")) {
            ps.setLong(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(UniqueSketch.fromBytes(rs.getBytes(1)).estimate()).isPositive();
            }
        }
    }

    private static long eventsOf(long appId, LocalDate day) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sum(events) FROM analytics_daily_stats WHERE app_id = ? AND day = ? AND dimension = ''"
                        + " AND event_type <> '*'")) {
            ps.setLong(1, appId);
            ps.setObject(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double union(String column, String where) throws SQLException {
        UniqueSketch union = new UniqueSketch();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + column + " FROM analytics_daily_stats WHERE app_id = ? AND " + where)) {
            ps.setLong(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    union.merge(UniqueSketch.fromBytes(rs.getBytes(1)));
                }
            }
        }
        return union.estimate();
    }

    private static double distinct(String column, String where) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(DISTINCT " + column + ") FROM analytics_events WHERE app_id = ? AND " + where)) {
            ps.setLong(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Rows keyed "day|type|dimension|value" to their count. */
    private static Map<String, Long> counts(String sql) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4),
                            rs.getLong(5));
                }
            }
        }
        return rows;
    }

    /** Rows keyed "day|dimension|value|currency" to "conversions sum" (sum without trailing zeros). */
    private static Map<String, String> sums(String sql) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal sum = rs.getBigDecimal(6);
                    rows.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4),
                            rs.getLong(5) + " " + sum.stripTrailingZeros().toPlainString());
                }
            }
        }
        return rows;
    }

    /** Every stats and values row of one day (sketch bytes included) and the rollup_days count under "day". */
    private static Map<String, Object> snapshot(LocalDate day) throws SQLException {
        Map<String, Object> rows = new HashMap<>();
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT event_type, dimension, value, events,"
                    + " encode(visitors, 'hex'), encode(sessions, 'hex') FROM analytics_daily_stats WHERE app_id = ? AND day = ?")) {
                ps.setLong(1, app);
                ps.setObject(2, day);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3),
                                rs.getLong(4) + " " + rs.getString(5) + " " + rs.getString(6));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT dimension, value, currency, conversions, value_sum"
                    + " FROM analytics_daily_values WHERE app_id = ? AND day = ?")) {
                ps.setLong(1, app);
                ps.setObject(2, day);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put("value|" + rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3),
                                rs.getLong(4) + " " + rs.getBigDecimal(5));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT events FROM rollup_days WHERE app_id = ? AND day = ?")) {
                ps.setLong(1, app);
                ps.setObject(2, day);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        rows.put("day", rs.getLong(1));
                    }
                }
            }
        }
        return rows;
    }
}
