package io.sightline.rollup;

import io.sightline.store.Database;
import io.sightline.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RollupJobTest {
    private static final Duration DELAY = Duration.ofMinutes(5);
    private static final RetentionPolicy POLICY = new RetentionPolicy(365, 0, Duration.ofDays(7), DELAY);
    private Database db;
    private MutableClock clock;

    @BeforeEach
    void open() {
        db = RollupDatabase.open();
        clock = new MutableClock(Instant.parse("2026-03-20T00:03:00Z"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void rolls_every_finished_day_from_the_first_event_once_the_delay_after_midnight_has_passed() throws Exception {
        long app = app("UTC", 365);
        new EventFixture(db.dataSource(), 3, 100).insert(app, Instant.parse("2026-03-10T08:00:00Z"),
                Instant.parse("2026-03-19T23:59:00Z"), 500);
        RollupJob job = job(new AtomicInteger());

        assertThat(job.run().daysRolled()).isEqualTo(9); // 10th..18th: the 19th ended only 3 minutes ago
        assertThat(rolledDays(app)).first().isEqualTo(LocalDate.of(2026, 3, 10));
        assertThat(rolledDays(app)).last().isEqualTo(LocalDate.of(2026, 3, 18));
        assertThat(job.run().daysRolled()).isZero();

        clock.advance(Duration.ofMinutes(2));
        assertThat(job.run().daysRolled()).isEqualTo(1);
        assertThat(rolledDays(app)).hasSize(10).last().isEqualTo(LocalDate.of(2026, 3, 19));
        assertThat(rolledEventTotal(app)).isEqualTo(500);
    }

    @Test
    void finished_days_follow_the_apps_time_zone() throws Exception {
        long tokyo = app("Asia/Tokyo", 365); // UTC+9: at 00:03Z on the 20th it is 09:03 on the 20th in Tokyo
        long la = app("America/Los_Angeles", 365); // UTC-7: 17:03 on the 19th
        EventFixture fixture = new EventFixture(db.dataSource(), 4, 100);
        fixture.insert(tokyo, List.of(Instant.parse("2026-03-18T00:00:00Z")));
        fixture.insert(la, List.of(Instant.parse("2026-03-18T12:00:00Z")));
        job(new AtomicInteger()).run();
        assertThat(rolledDays(tokyo)).containsExactly(LocalDate.of(2026, 3, 18), LocalDate.of(2026, 3, 19));
        assertThat(rolledDays(la)).containsExactly(LocalDate.of(2026, 3, 18));
    }

    @Test
    void after_an_app_changes_its_time_zone_its_days_are_rolled_again_in_the_new_one() throws Exception {
        long app = app("UTC", 365);
        new EventFixture(db.dataSource(), 9, 100).insert(app, List.of(Instant.parse("2026-03-17T02:00:00Z"),
                Instant.parse("2026-03-18T10:00:00Z")));
        RollupJob job = job(new AtomicInteger());
        job.run();
        assertThat(rolledDays(app)).containsExactly(LocalDate.of(2026, 3, 17), LocalDate.of(2026, 3, 18));
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE apps SET time_zone = 'America/Chicago' WHERE id = " + app);
        }
        // 02:00Z on the 17th is the evening of the 16th in Chicago; at 19:03 on the 19th there, the 18th is the last finished day
        assertThat(job.run().daysRolled()).isEqualTo(3);
        assertThat(rolledDays(app)).containsExactly(LocalDate.of(2026, 3, 16), LocalDate.of(2026, 3, 17),
                LocalDate.of(2026, 3, 18));
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(DISTINCT time_zone, ','), sum(events) FROM rollup_days"
                     + " WHERE app_id = " + app)) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("America/Chicago");
            assertThat(rs.getLong(2)).isEqualTo(2);
        }
    }

    @Test
    void does_not_roll_days_older_than_the_apps_retention() throws Exception {
        long app = app("UTC", 5);
        new EventFixture(db.dataSource(), 5, 100).insert(app, List.of(Instant.parse("2026-03-01T10:00:00Z"),
                Instant.parse("2026-03-17T10:00:00Z")));
        job(new AtomicInteger()).run();
        // today is the 20th: 5 days kept means the 15th is the oldest; the 19th is not finished yet
        assertThat(rolledDays(app)).containsExactly(LocalDate.of(2026, 3, 15), LocalDate.of(2026, 3, 16),
                LocalDate.of(2026, 3, 17), LocalDate.of(2026, 3, 18));
    }

    @Test
    void an_app_that_fails_does_not_stop_the_others() throws Exception {
        long broken = app("UTC", 365);
        long fine = app("UTC", 365);
        EventFixture fixture = new EventFixture(db.dataSource(), 6, 100);
        fixture.insert(broken, List.of(Instant.parse("2026-03-18T10:00:00Z")));
        fixture.insert(fine, List.of(Instant.parse("2026-03-18T10:00:00Z")));
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE apps SET time_zone = 'Mars/Olympus' WHERE id = " + broken);
        }
        job(new AtomicInteger()).run();
        assertThat(rolledDays(broken)).isEmpty();
        assertThat(rolledDays(fine)).containsExactly(LocalDate.of(2026, 3, 18));
    }

    @Test
    void a_utc_mark_re_rolls_every_finished_local_day_it_overlaps() {
        assertThat(LateMarks.overlapping(LocalDate.of(2026, 3, 10), ZoneId.of("UTC")))
                .containsExactly(LocalDate.of(2026, 3, 10));
        assertThat(LateMarks.overlapping(LocalDate.of(2026, 3, 10), ZoneId.of("America/New_York")))
                .containsExactly(LocalDate.of(2026, 3, 9), LocalDate.of(2026, 3, 10));
        assertThat(LateMarks.overlapping(LocalDate.of(2026, 3, 10), ZoneId.of("Asia/Kolkata")))
                .containsExactly(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 3, 11));
    }

    @Test
    void two_schedulers_on_one_database_run_the_job_once_and_roll_each_day_once() throws Exception {
        long app = app("UTC", 365);
        new EventFixture(db.dataSource(), 8, 500).insert(app, Instant.parse("2026-02-18T00:00:00Z"),
                Instant.parse("2026-03-19T00:00:00Z"), 3_000); // 29 days, all finished
        AtomicInteger days = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        List<JobScheduler> schedulers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RollupJob job = new RollupJob(db.dataSource(), new RollupService(db.dataSource(), clock), clock, POLICY,
                    counting(days, runs));
            schedulers.add(new JobScheduler(db.dataSource(), clock, Duration.ofMillis(100),
                    List.of(job.task(Duration.ofMinutes(5)))));
        }
        try {
            schedulers.forEach(JobScheduler::start);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (runs.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50); // waiting for the scheduler's thread to report, not for time to pass
            }
            // Both schedulers keep polling: a second execution would be picked within a few intervals.
            Thread.sleep(1_000);
        } finally {
            schedulers.forEach(JobScheduler::close);
        }
        assertThat(runs.get()).isEqualTo(1);
        assertThat(days.get()).isEqualTo(29);
        assertThat(rolledDays(app)).hasSize(29);
        assertThat(rolledEventTotal(app)).isEqualTo(3_000);
    }

    @Test
    void rolls_the_day_in_progress_up_to_the_delay_and_a_minute_ago_on_every_run_and_the_whole_day_once_finished()
            throws Exception {
        long app = app("UTC", 365);
        clock.set(Instant.parse("2026-03-20T12:00:00Z"));
        EventFixture fixture = new EventFixture(db.dataSource(), 5, 100);
        fixture.insert(app, List.of(Instant.parse("2026-03-20T06:00:00Z"), Instant.parse("2026-03-20T11:53:59Z"),
                Instant.parse("2026-03-20T11:54:00Z"), Instant.parse("2026-03-20T11:59:00Z")));
        RollupJob job = job(new AtomicInteger());

        assertThat(job.soFar(clock.instant())).isEqualTo(Instant.parse("2026-03-20T11:54:00Z"));
        job.run();
        assertThat(partial(app)).containsExactly("2026-03-20 2026-03-20T11:54:00Z 2 2");

        clock.advance(Duration.ofMinutes(30)); // late: occurred before the last roll's end, stored after it
        fixture.insert(app, List.of(Instant.parse("2026-03-20T11:00:00Z"), Instant.parse("2026-03-20T12:20:00Z")));
        job.run();
        assertThat(partial(app)).containsExactly("2026-03-20 2026-03-20T12:24:00Z 6 6");

        clock.set(Instant.parse("2026-03-21T00:10:00Z"));
        job.run();
        assertThat(rolledDays(app)).contains(LocalDate.of(2026, 3, 20));
        assertThat(partial(app)).containsExactly("2026-03-21 2026-03-21T00:04:00Z 0 -");
        assertThat(rolledEventTotal(app)).isEqualTo(6);
    }

    /** Each partial rollup_days row: day, until, its events and its all-events stats row's count ('-' if none). */
    private List<String> partial(long app) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT d.day, d.until, d.events, s.events FROM rollup_days d LEFT JOIN analytics_daily_stats s"
                        + " ON s.app_id = d.app_id AND s.day = d.day AND s.event_type = '*' AND s.dimension = ''"
                        + " WHERE d.app_id = ? AND d.until IS NOT NULL ORDER BY d.day")) {
            ps.setLong(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getObject(1, LocalDate.class) + " " + rs.getTimestamp(2).toInstant() + " "
                            + rs.getLong(3) + " " + (rs.getObject(4) == null ? "-" : rs.getLong(4)));
                }
            }
        }
        return rows;
    }

    private RollupJob job(AtomicInteger days) {
        return new RollupJob(db.dataSource(), new RollupService(db.dataSource(), clock), clock, POLICY,
                counting(days, new AtomicInteger()));
    }

    private static RollupListener counting(AtomicInteger days, AtomicInteger runs) {
        return new RollupListener() {
            @Override
            public void dayRolled(long events, long nanos) {
                days.incrementAndGet();
            }

            @Override
            public void jobRun(long nanos, boolean failed) {
                runs.incrementAndGet();
            }
        };
    }

    private long app(String zone, int retentionDays) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return EventFixture.createApp(c, "job " + zone, zone, retentionDays);
        }
    }

    private List<LocalDate> rolledDays(long app) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT day FROM rollup_days WHERE app_id = ? AND until IS NULL ORDER BY day")) {
            ps.setLong(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(rs.getObject(1, LocalDate.class));
                }
            }
        }
        return days;
    }

    private long rolledEventTotal(long app) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(sum(events), 0) FROM rollup_days WHERE app_id = ? AND until IS NULL")) {
            ps.setLong(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

}
