package io.sightline.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.MutableClock;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
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

/**
 * A finished backfill leaves its days readable from the rollups (its late-event marks cleared) without waiting for
 * the scheduled job, and a late event stored while it runs keeps its mark. Through the real server, scheduled jobs
 * off, with a clock the test moves.
 */
class BackfillMarksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private static final LocalDate TODAY = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
    private static final RetentionPolicy POLICY = new RetentionPolicy(365, 0, Duration.ofDays(7), Duration.ofMinutes(5));
    private static TestServer server;
    private static long app;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("SIGHTLINE_JOBS", "false", "SIGHTLINE_DEVICE_DETECTION", "false"), CLOCK);
        app = JSON.readTree(server.admin("GET", "/api/v1/apps", null).body()).get("apps").get(0).get("id").asLong();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void days_backfilled_through_the_admin_route_are_answered_from_rollups_without_a_scheduled_run() throws Exception {
        LocalDate day = TODAY.minusDays(6);
        send(day.atTime(10, 0).toInstant(ZoneOffset.UTC));
        send(day.atTime(11, 0).toInstant(ZoneOffset.UTC));
        assertThat(marks()).containsKey(day);
        CLOCK.advance(Duration.ofSeconds(1));

        HttpResponse<String> started = server.admin("POST", "/api/v1/apps/" + app + "/rollups/backfill",
                "{\"from\":\"" + day + "\",\"to\":\"" + day + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(awaitFinished(JSON.readTree(started.body()).get("id").asText()).get("state").asText())
                .isEqualTo("done");

        assertThat(marks()).doesNotContainKey(day);
        JsonNode current = summary(day).get("current");
        assertThat(current.get("rolled_days").asInt()).isEqualTo(1);
        assertThat(current.get("events").asLong()).isEqualTo(2);
    }

    @Test
    void a_late_event_stored_after_the_backfill_read_its_day_keeps_the_mark_while_the_other_days_marks_go()
            throws Exception {
        LocalDate first = TODAY.minusDays(4);
        LocalDate last = TODAY.minusDays(2);
        send(first.atTime(9, 0).toInstant(ZoneOffset.UTC));
        send(last.atTime(9, 0).toInstant(ZoneOffset.UTC));
        assertThat(marks()).containsKeys(first, last);
        CLOCK.advance(Duration.ofSeconds(1));

        try (var pool = new PoolOf(server.jdbcUrl());
             var backfills = new BackfillService(pool.dataSource(), new RollupService(pool.dataSource(), CLOCK), CLOCK,
                     POLICY, RollupListener.NONE)) {
            // Runs on the backfill's thread right after each day's roll committed, so the late event is stored
            // after that day was read: it is not in the new rows, and its renewed mark must survive.
            int rolled = backfills.rollRange(app, first, last, (result, nanos) -> {
                if (result.day().equals(last)) {
                    CLOCK.advance(Duration.ofSeconds(1));
                    send(last.atTime(15, 0).toInstant(ZoneOffset.UTC));
                }
            });
            assertThat(rolled).isEqualTo(3);
        }

        Map<LocalDate, Instant> marks = marks();
        assertThat(marks).doesNotContainKey(first).containsEntry(last, CLOCK.instant());
        assertThat(summary(first).get("current").get("rolled_days").asInt()).isEqualTo(1);
        JsonNode lastDay = summary(last).get("current");
        assertThat(lastDay.get("rolled_days").asInt()).isZero();
        assertThat(lastDay.get("events").asLong()).isEqualTo(2);
    }

    private static void send(Instant occurred) {
        String body = "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"qr_scan\",\"occurred_at\":\"" + occurred
                + "\",\"visitor_id\":\"v-1\",\"session_id\":\"s-1\",\"properties\":{\"qr_code_id\":\"poster-1\"}}";
        HttpResponse<String> r = server.ingest("/api/v1/analytics/track", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static JsonNode summary(LocalDate day) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/stats/summary?from=" + day + "&to=" + day,
                Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode awaitFinished(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode status = JSON.readTree(server.admin("GET", "/api/v1/apps/" + app + "/rollups/backfill/" + id,
                    null).body());
            String state = status.get("state").asText();
            if (!state.equals("queued") && !state.equals("running") || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(20);
        }
    }

    private static Map<LocalDate, Instant> marks() throws SQLException {
        Map<LocalDate, Instant> marks = new TreeMap<>();
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT day, marked_at FROM rollup_dirty WHERE app_id = " + app)) {
            while (rs.next()) {
                marks.put(rs.getObject(1, LocalDate.class), rs.getTimestamp(2).toInstant());
            }
        }
        return marks;
    }
}
