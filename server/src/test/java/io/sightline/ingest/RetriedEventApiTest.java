package io.sightline.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries keyed by event id alone: the server may assign occurred_at, and a client may send another one. */
class RetriedEventApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void retried_event_without_occurred_at_is_stored_once_whatever_time_a_retry_carries() throws Exception {
        UUID id = UUID.randomUUID();
        String bare = "{\"event_id\":\"" + id + "\",\"type\":\"screenshot\"}";
        assertThat(track(bare).statusCode()).isEqualTo(200);
        Instant first = occurredAt(id);
        Thread.sleep(5); // so a retry's server-assigned time differs from the first one's
        HttpResponse<String> retry = track(bare);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(JSON.readTree(retry.body()).get("event_id").asText()).isEqualTo(id.toString());
        // A late copy takes the marking path: storing nothing, it must mark no day for a re-roll either.
        Instant lateTime = Instant.now().minus(Duration.ofDays(4)).truncatedTo(ChronoUnit.MILLIS);
        HttpResponse<String> late = track("{\"event_id\":\"" + id + "\",\"type\":\"screenshot\",\"occurred_at\":\""
                + lateTime + "\"}");
        assertThat(late.statusCode()).as(late.body()).isEqualTo(200);

        assertThat(count("SELECT count(*) FROM analytics_events WHERE event_id = ?", id)).isEqualTo(1);
        assertThat(occurredAt(id)).isEqualTo(first);
        assertThat(count("SELECT count(*) FROM rollup_dirty WHERE day = (?::timestamptz AT TIME ZONE 'UTC')::date",
                lateTime.toString())).isZero();
    }

    @Test
    void copies_of_one_id_in_one_batch_are_stored_once_with_the_earliest_time_and_mark_its_day() throws Exception {
        UUID id = UUID.randomUUID();
        Instant earlier = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);
        String bare = "{\"event_id\":\"" + id + "\",\"type\":\"screenshot\"}";
        String timed = "{\"event_id\":\"" + id + "\",\"type\":\"screenshot\",\"occurred_at\":\"" + earlier + "\"}";
        HttpResponse<String> r = server.ingest("/api/v1/analytics/batch",
                "{\"events\":[" + bare + "," + timed + "," + bare + "," + timed + "]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(4);

        assertThat(count("SELECT count(*) FROM analytics_events WHERE event_id = ?", id)).isEqualTo(1);
        assertThat(occurredAt(id)).isEqualTo(earlier);
        assertThat(count("SELECT count(*) FROM rollup_dirty WHERE day = (?::timestamptz AT TIME ZONE 'UTC')::date",
                earlier.toString())).isEqualTo(1);
    }

    private static HttpResponse<String> track(String json) {
        return server.ingest("/api/v1/analytics/track", json);
    }

    private static Instant occurredAt(UUID id) throws Exception {
        try (Connection c = server.db();
             PreparedStatement ps = c.prepareStatement("SELECT min(occurred_at) FROM analytics_events WHERE event_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    private static long count(String sql, Object... params) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
