package io.sightline.rollup;

import io.sightline.config.Config;
import io.sightline.config.ConfigException;
import io.sightline.store.Database;
import io.sightline.store.PartitionManager;
import io.sightline.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionJobTest {
    private static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");
    private Database db;
    private MutableClock clock;

    @BeforeEach
    void open() throws SQLException {
        db = RollupDatabase.open();
        clock = new MutableClock(NOW);
        Set<YearMonth> months = new HashSet<>();
        for (YearMonth m = YearMonth.of(2025, 6); !m.isAfter(YearMonth.of(2027, 1)); m = m.plusMonths(1)) {
            months.add(m);
        }
        new PartitionManager(db.dataSource(), Clock.systemUTC(), Duration.ofDays(1)).ensureAll(months);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void drops_the_monthly_partitions_that_ended_more_than_the_retention_ago_and_keeps_the_rest() throws Exception {
        long app = app(365);
        new EventFixture(db.dataSource(), 1, 50).insert(app, List.of(Instant.parse("2025-10-31T23:59:59Z"),
                Instant.parse("2025-11-01T00:00:00Z"), Instant.parse("2026-11-20T00:00:00Z")));
        RetentionJob.Run run = job(365, 0, Duration.ofDays(7)).run();

        // 2025-10 ended on 2025-11-01, 388 days ago; 2025-11 ended on 2025-12-01, 358 days ago.
        assertThat(run.droppedPartitions()).containsExactly("analytics_events_p2025_06", "analytics_events_p2025_07",
                "analytics_events_p2025_08", "analytics_events_p2025_09", "analytics_events_p2025_10");
        assertThat(partitions()).first().isEqualTo("analytics_events_p2025_11");
        assertThat(partitions()).last().isEqualTo("analytics_events_p2027_01");
        assertThat(events(app)).isEqualTo(2);
        assertThat(job(365, 0, Duration.ofDays(7)).run().droppedPartitions()).isEmpty();

        clock.advance(Duration.ofDays(7)); // 2025-12-01 + 365 days = 2026-12-01
        assertThat(job(365, 0, Duration.ofDays(7)).run().droppedPartitions()).containsExactly("analytics_events_p2025_11");
        assertThat(events(app)).isEqualTo(1);
    }

    @Test
    void never_drops_a_month_an_accepted_event_may_still_fall_into() throws Exception {
        // A retention of 3 days would drop October (ended 23 days ago), but the backfill window is 30 days.
        RetentionJob.Run run = job(3, 0, Duration.ofDays(30)).run();
        assertThat(run.droppedPartitions()).doesNotContain("analytics_events_p2026_10");
        assertThat(partitions()).contains("analytics_events_p2026_10", "analytics_events_p2026_11");
    }

    @Test
    void deletes_a_short_retention_apps_older_events_in_batches_and_leaves_other_apps_alone() throws Exception {
        long shortLived = app(30);
        long other = app(365);
        EventFixture fixture = new EventFixture(db.dataSource(), 2, 200);
        Instant from = NOW.minus(Duration.ofDays(60));
        fixture.insert(shortLived, from, NOW, 12_000);
        fixture.insert(other, from, NOW, 2_000);
        Instant cutoff = LocalDate.of(2026, 10, 25).atStartOfDay(ZoneOffset.UTC).toInstant(); // 30 days before today
        long old = count("SELECT count(*) FROM analytics_events WHERE app_id = " + shortLived
                + " AND occurred_at < '" + cutoff + "'");
        assertThat(old).isGreaterThan(RetentionJob.DELETE_BATCH); // more than one batch

        RetentionJob.Run run = job(365, 0, Duration.ofDays(7)).run();

        assertThat(run.eventsDeleted()).isEqualTo(old);
        assertThat(count("SELECT (min(occurred_at) >= '" + cutoff + "')::int FROM analytics_events WHERE app_id = "
                + shortLived)).isEqualTo(1);
        assertThat(events(shortLived)).isEqualTo(12_000 - old);
        assertThat(events(other)).isEqualTo(2_000);
    }

    @Test
    void keeps_the_months_an_app_with_a_longer_retention_was_promised_and_deletes_other_apps_events_there() throws Exception {
        long promised = app(730);
        long usual = app(365);
        List<Instant> times = List.of(Instant.parse("2025-06-15T12:00:00Z"), Instant.parse("2025-10-31T23:59:59Z"),
                Instant.parse("2026-11-20T00:00:00Z"));
        new EventFixture(db.dataSource(), 4, 50).insert(promised, times);
        new EventFixture(db.dataSource(), 5, 50).insert(usual, times);

        RetentionJob.Run run = job(365, 0, Duration.ofDays(7)).run();

        // 2025-06 ended 511 days ago: past the server's 365 days, within the 730 days app `promised` was given.
        assertThat(run.droppedPartitions()).isEmpty();
        assertThat(events(promised)).isEqualTo(3);
        assertThat(events(usual)).isEqualTo(1);
        assertThat(run.eventsDeleted()).isEqualTo(2);
    }

    @Test
    void deletes_event_keys_no_accepted_retry_can_meet_in_batches_and_keeps_the_others() throws Exception {
        // Keys are kept for the backfill window (7 days) plus the future tolerance (24 h): 8 days before NOW.
        Instant oldestKept = NOW.minus(Duration.ofDays(8));
        int old = RetentionJob.KEY_BATCH * 2 + 10;
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO event_keys (app_id, event_id, occurred_at, received_at)"
                     + " SELECT 1, gen_random_uuid(), t, t FROM (SELECT ?::timestamptz - n * interval '1 second' AS t"
                     + " FROM generate_series(?, ?) n) s")) {
            ps.setObject(1, oldestKept.atOffset(ZoneOffset.UTC));
            ps.setInt(2, 1);
            ps.setInt(3, old);
            ps.executeUpdate();
            ps.setInt(2, -500);
            ps.setInt(3, 0);
            ps.executeUpdate();
        }

        RetentionJob.Run run = job(365, 0, Duration.ofDays(7)).run();

        assertThat(run.keysDeleted()).isEqualTo(old);
        assertThat(count("SELECT count(*) FROM event_keys")).isEqualTo(501);
        assertThat(count("SELECT (min(received_at) = '" + oldestKept + "')::int FROM event_keys")).isEqualTo(1);
    }

    @Test
    void keeps_daily_stats_forever_by_default_and_deletes_them_with_their_days_past_the_stats_retention() throws Exception {
        long app = app(365);
        new EventFixture(db.dataSource(), 3, 50).insert(app, NOW.minus(Duration.ofDays(120)), NOW.minus(Duration.ofDays(1)), 600);
        RollupService rollups = new RollupService(db.dataSource(), clock);
        for (LocalDate d = LocalDate.of(2026, 7, 27); d.isBefore(LocalDate.of(2026, 11, 24)); d = d.plusDays(1)) {
            rollups.rollUp(app, d);
        }
        long days = count("SELECT count(*) FROM rollup_days");
        assertThat(job(365, 0, Duration.ofDays(7)).run().statsDaysDeleted()).isZero();
        assertThat(count("SELECT count(*) FROM rollup_days")).isEqualTo(days);

        RetentionJob.Run run = job(365, 90, Duration.ofDays(7)).run();
        LocalDate oldest = LocalDate.of(2026, 8, 26);
        assertThat(run.statsDaysDeleted()).isEqualTo(days - 90);
        for (String table : List.of("rollup_days", "analytics_daily_stats", "analytics_daily_values")) {
            assertThat(count("SELECT count(*) FROM " + table + " WHERE day < '" + oldest + "'")).isZero();
            assertThat(count("SELECT count(*) FROM " + table + " WHERE day >= '" + oldest + "'")).isPositive();
        }
        assertThat(events(app)).isEqualTo(600);
    }

    @Test
    void refuses_to_start_with_a_retention_not_longer_than_the_backfill_window() {
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_RETENTION_DAYS", "7")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SIGHTLINE_RETENTION_DAYS")
                .hasMessageContaining("SIGHTLINE_BACKFILL_WINDOW");
        assertThat(Config.load(Map.of("SIGHTLINE_RETENTION_DAYS", "8")).rollup().retentionDays()).isEqualTo(8);
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_STATS_RETENTION_DAYS", "-1")))
                .hasMessageContaining("SIGHTLINE_STATS_RETENTION_DAYS");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_ROLLUP_INTERVAL", "1s")))
                .hasMessageContaining("SIGHTLINE_ROLLUP_INTERVAL");
    }

    private RetentionJob job(int retentionDays, int statsDays, Duration backfillWindow) {
        return new RetentionJob(db.dataSource(), clock,
                new RetentionPolicy(retentionDays, statsDays, backfillWindow, Duration.ofMinutes(5)));
    }

    private long app(int retentionDays) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return EventFixture.createApp(c, "retention", "UTC", retentionDays);
        }
    }

    private List<String> partitions() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                     + " WHERE i.inhparent = 'analytics_events'::regclass ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private long events(long app) throws SQLException {
        return count("SELECT count(*) FROM analytics_events WHERE app_id = " + app);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
