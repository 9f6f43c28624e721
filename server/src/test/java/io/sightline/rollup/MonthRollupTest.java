package io.sightline.rollup;

import io.sightline.sketch.UniqueSketch;
import io.sightline.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The all-event-types rows of each day and the monthly rows merged from the days, against the daily rows. */
class MonthRollupTest {
    private static final LocalDate APRIL = LocalDate.of(2026, 4, 1);
    private static final LocalDate MAY = LocalDate.of(2026, 5, 1);
    private static Database db;
    private static RollupService service;
    private static long app;

    @BeforeAll
    static void generateAprilAndHalfOfMay() throws Exception {
        db = RollupDatabase.open();
        service = new RollupService(db.dataSource(), Clock.systemUTC());
        try (Connection c = db.dataSource().getConnection()) {
            app = EventFixture.createApp(c, "months", "UTC", 365);
        }
        Instant from = APRIL.atStartOfDay(ZoneOffset.UTC).toInstant();
        new EventFixture(db.dataSource(), 7, 3_000).insert(app, from, from.plusSeconds(86_400L * 45), 20_000);
        for (LocalDate day = APRIL; day.isBefore(MAY.plusDays(15)); day = day.plusDays(1)) {
            service.rollUp(app, day);
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void all_types_rows_count_every_event_and_unite_the_per_type_sketches() throws Exception {
        LocalDate day = APRIL.plusDays(9);
        Map<String, Long> perType = longs("SELECT dimension || '|' || value, sum(events) FROM analytics_daily_stats"
                + " WHERE app_id = ? AND day = ? AND event_type <> '*' GROUP BY 1", day);
        Map<String, Long> all = longs("SELECT dimension || '|' || value, events FROM analytics_daily_stats"
                + " WHERE app_id = ? AND day = ? AND event_type = '*'", day);
        assertThat(all).hasSizeGreaterThan(100).isEqualTo(perType);
        for (String where : List.of("dimension = '' AND value = ''", "dimension = 'country' AND value = 'DE'",
                "dimension = 'city' AND value = 'city-3'")) {
            for (String column : List.of("visitors", "sessions")) {
                double united = union(column, "analytics_daily_stats", where + " AND event_type <> '*' AND day = ?", day);
                double stored = union(column, "analytics_daily_stats", where + " AND event_type = '*' AND day = ?", day);
                assertThat(united).isPositive();
                assertThat(stored).as(where + " " + column).isCloseTo(united, within(0.005 * united));
            }
        }
    }

    @Test
    void a_month_is_built_once_all_its_days_are_rolled_and_equals_the_merge_of_its_days() throws Exception {
        assertThat(longs("SELECT day::text, 0 FROM rollup_months WHERE app_id = ?", null)).containsOnlyKeys(
                APRIL.toString());
        Map<String, Long> merged = longs("SELECT event_type || '|' || dimension || '|' || value, sum(events)"
                + " FROM analytics_daily_stats WHERE app_id = ? AND day BETWEEN ? AND '2026-04-30' GROUP BY 1", APRIL);
        Map<String, Long> month = longs("SELECT event_type || '|' || dimension || '|' || value, events"
                + " FROM analytics_monthly_stats WHERE app_id = ? AND day = ?", APRIL);
        assertThat(month).hasSizeGreaterThan(500).isEqualTo(merged);
        assertThat(longs("SELECT dimension || value || currency, sum(conversions) FROM analytics_monthly_values"
                + " WHERE app_id = ? AND day = ? GROUP BY 1", APRIL))
                .isNotEmpty()
                .isEqualTo(longs("SELECT dimension || value || currency, sum(conversions) FROM analytics_daily_values"
                        + " WHERE app_id = ? AND day BETWEEN ? AND '2026-04-30' GROUP BY 1", APRIL));
        for (String where : List.of("event_type = '*' AND dimension = '' AND value = ''",
                "event_type = 'conversion' AND dimension = 'os' AND value = 'iOS'")) {
            for (String column : List.of("visitors", "sessions")) {
                double days = union(column, "analytics_daily_stats", where + " AND day BETWEEN ? AND '2026-04-30'", APRIL);
                double stored = union(column, "analytics_monthly_stats", where + " AND day = ?", APRIL);
                assertThat(days).isPositive();
                assertThat(stored).as(where + " " + column).isCloseTo(days, within(0.001 * days));
            }
        }
    }

    @Test
    void rolling_a_day_of_a_built_month_again_rebuilds_the_month_and_an_incomplete_month_has_no_rows()
            throws Exception {
        LocalDate day = APRIL.plusDays(20);
        long before = monthEvents();
        Instant noon = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(43_200);
        new EventFixture(db.dataSource(), 99, 3_000).insert(app, noon, noon.plusSeconds(3_600), 250);
        assertThat(monthEvents()).isEqualTo(before);
        service.rollUp(app, day);
        assertThat(monthEvents()).isEqualTo(before + 250);

        assertThat(longs("SELECT day::text, count(*) FROM analytics_monthly_stats WHERE app_id = ? AND day >= ?"
                + " GROUP BY 1", MAY)).isEmpty();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM rollup_days WHERE app_id = ? AND day = ?")) {
            ps.setLong(1, app);
            ps.setObject(2, APRIL.plusDays(2));
            ps.executeUpdate();
        }
        service.rollUp(app, day);
        assertThat(longs("SELECT day::text, count(*) FROM analytics_monthly_stats WHERE app_id = ? GROUP BY 1", null))
                .isEmpty();
        service.rollUp(app, APRIL.plusDays(2));
        assertThat(monthEvents()).isEqualTo(before + 250);
    }

    @Test
    void a_day_rolled_without_its_month_clears_the_month_and_the_repair_builds_it_the_same_again() throws Exception {
        Map<String, Long> built = longs("SELECT event_type || '|' || dimension || '|' || value, events"
                + " FROM analytics_monthly_stats WHERE app_id = ? AND day = ?", APRIL);
        assertThat(built).isNotEmpty();
        service.rollUp(app, APRIL.plusDays(5), false);
        assertThat(monthEvents()).isEqualTo(-1L);
        assertThat(longs("SELECT day::text, 0 FROM rollup_months WHERE app_id = ?", null)).isEmpty();

        assertThat(service.rebuildMissingMonths(app)).isEqualTo(1); // April only: May has half its days
        assertThat(longs("SELECT event_type || '|' || dimension || '|' || value, events"
                + " FROM analytics_monthly_stats WHERE app_id = ? AND day = ?", APRIL)).isEqualTo(built);
        assertThat(service.rebuildMissingMonths(app)).isZero();
        assertThat(RollupService.lastOfItsMonth(APRIL.plusDays(29), MAY)).isTrue();
        assertThat(RollupService.lastOfItsMonth(APRIL.plusDays(28), APRIL.plusDays(29))).isFalse();
        assertThat(RollupService.lastOfItsMonth(MAY.plusDays(3), null)).isTrue();
        assertThat(RollupService.lastOfItsMonth(APRIL, APRIL.plusYears(1))).isTrue();
    }

    @Test
    void a_damaged_daily_sketch_leaves_its_month_unbuilt_without_failing_the_roll_and_rolling_that_day_repairs_it()
            throws Exception {
        LocalDate february = LocalDate.of(2026, 2, 1);
        long damaged;
        try (Connection c = db.dataSource().getConnection()) {
            damaged = EventFixture.createApp(c, "damaged", "UTC", 365);
        }
        Instant from = february.atStartOfDay(ZoneOffset.UTC).toInstant();
        new EventFixture(db.dataSource(), 8, 50).insert(damaged, from, from.plusSeconds(86_400L * 28), 300);
        for (LocalDate day = february; day.getMonth() == february.getMonth(); day = day.plusDays(1)) {
            service.rollUp(damaged, day);
        }
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE analytics_daily_stats SET visitors = '\\x7f'::bytea WHERE app_id = ? AND day = ?")) {
            ps.setLong(1, damaged);
            ps.setObject(2, february.plusDays(9));
            assertThat(ps.executeUpdate()).isPositive();
        }

        service.rollUp(damaged, february.plusDays(3));
        assertThat(builtMonths(damaged)).isEmpty();
        service.rollUp(damaged, february.plusDays(9));
        assertThat(builtMonths(damaged)).containsExactly(february);
    }

    private static List<LocalDate> builtMonths(long appId) throws SQLException {
        List<LocalDate> months = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT day FROM rollup_months WHERE app_id = ? ORDER BY day")) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    months.add(rs.getObject(1, LocalDate.class));
                }
            }
        }
        return months;
    }

    private static long monthEvents() throws SQLException {
        return longs("SELECT 'all', events FROM analytics_monthly_stats WHERE app_id = ? AND day = ?"
                + " AND event_type = '*' AND dimension = ''", APRIL).getOrDefault("all", -1L);
    }

    /** Key and count per row of {@code sql}, whose parameters are the app and {@code day} (when not null). */
    private static Map<String, Long> longs(String sql, LocalDate day) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, app);
            if (day != null) {
                ps.setObject(2, day);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return rows;
    }

    private static double union(String column, String table, String where, LocalDate day) throws SQLException {
        UniqueSketch union = new UniqueSketch();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + column + " FROM " + table + " WHERE app_id = ? AND " + where)) {
            ps.setLong(1, app);
            ps.setObject(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    union.merge(UniqueSketch.fromBytes(rs.getBytes(1)));
                }
            }
        }
        return union.estimate();
    }
}
