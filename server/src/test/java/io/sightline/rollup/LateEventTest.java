package io.sightline.rollup;

import io.sightline.testing.MutableClock;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Late events through the real ingestion route: which commits mark a day, and how the job clears the marks. */
class LateEventTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("SIGHTLINE_JOBS", "false", "SIGHTLINE_ROLLUP_DELAY", "5m"), CLOCK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clearMarks() throws SQLException {
        try (Connection c = server.db(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM rollup_dirty");
        }
    }

    @Test
    void a_real_time_event_marks_nothing() throws Exception {
        send(UUID.randomUUID(), CLOCK.instant().minusSeconds(2));
        send(UUID.randomUUID(), CLOCK.instant().minus(Duration.ofMinutes(4)));
        assertThat(marks()).isEmpty();
    }

    @Test
    void an_event_stored_more_than_the_delay_after_it_occurred_marks_its_utc_date_at_the_commit_time() throws Exception {
        Instant occurred = CLOCK.instant().minus(Duration.ofDays(2));
        send(UUID.randomUUID(), occurred);
        assertThat(marks()).containsExactly(Map.entry(LocalDate.ofInstant(occurred, ZoneOffset.UTC), CLOCK.instant()));
    }

    @Test
    void a_retry_of_an_already_stored_late_event_marks_nothing() throws Exception {
        UUID id = UUID.randomUUID();
        Instant occurred = CLOCK.instant().minus(Duration.ofDays(3));
        send(id, occurred);
        clearMarks();
        send(id, occurred);
        assertThat(marks()).isEmpty();
    }

    @Test
    void the_job_rolls_a_late_day_then_re_rolls_it_after_another_late_event_and_clears_each_mark() throws Exception {
        LocalDate day = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC).minusDays(4);
        Instant noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
        RetentionPolicy policy = new RetentionPolicy(365, 0, Duration.ofDays(7), Duration.ofMinutes(5));
        RollupJob job;
        try (var pool = new PoolOf(server.jdbcUrl())) {
            job = new RollupJob(pool.dataSource(), new RollupService(pool.dataSource(), CLOCK), CLOCK, policy,
                    RollupListener.NONE);
            send(UUID.randomUUID(), noon);
            assertThat(marks()).containsOnlyKeys(day);
            job.run();
            assertThat(marks()).isEmpty();
            assertThat(rolledEvents(day)).isEqualTo(1);

            CLOCK.advance(Duration.ofMinutes(1));
            send(UUID.randomUUID(), noon.plusSeconds(3_600));
            assertThat(marks()).containsOnlyKeys(day);
            assertThat(rolledEvents(day)).isEqualTo(1);
            CLOCK.advance(Duration.ofMinutes(1));
            RollupJob.Run run = job.run();
            assertThat(run.marksCleared()).isEqualTo(1);
            assertThat(marks()).isEmpty();
            assertThat(rolledEvents(day)).isEqualTo(2);
        }
    }

    @Test
    void a_mark_made_after_the_run_started_is_kept_for_the_next_run() throws Exception {
        LocalDate day = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC).minusDays(5);
        send(UUID.randomUUID(), day.atTime(9, 0).toInstant(ZoneOffset.UTC));
        try (var pool = new PoolOf(server.jdbcUrl())) {
            // The run "starts" a minute before the mark was made: that mark is not its to clear.
            MutableClock earlier = new MutableClock(CLOCK.instant().minus(Duration.ofMinutes(1)));
            RetentionPolicy policy = new RetentionPolicy(365, 0, Duration.ofDays(7), Duration.ofMinutes(5));
            new RollupJob(pool.dataSource(), new RollupService(pool.dataSource(), earlier), earlier, policy,
                    RollupListener.NONE).run();
            assertThat(marks()).containsOnlyKeys(day);
        }
    }

    private static void send(UUID id, Instant occurred) {
        String body = "{\"event_id\":\"" + id + "\",\"type\":\"qr_scan\",\"occurred_at\":\"" + occurred + "\","
                + "\"visitor_id\":\"v-1\",\"session_id\":\"s-1\",\"properties\":{\"qr_code_id\":\"poster-1\"}}";
        assertThat(server.ingest("/api/v1/analytics/track", body).statusCode()).isEqualTo(200);
    }

    private static Map<LocalDate, Instant> marks() throws SQLException {
        Map<LocalDate, Instant> marks = new TreeMap<>();
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT day, marked_at FROM rollup_dirty")) {
            while (rs.next()) {
                marks.put(rs.getObject(1, LocalDate.class), rs.getTimestamp(2).toInstant());
            }
        }
        return marks;
    }

    private static long rolledEvents(LocalDate day) throws SQLException {
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT events FROM rollup_days WHERE day = '" + day + "'")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
