package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.MutableClock;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hourly series across Europe/Berlin's clock changes of 2026: every real hour is one bucket labelled with its
 * offset, the repeated hour twice and the skipped hour never, and every event lands in exactly one bucket.
 */
class HourlyClockChangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static long app;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("SIGHTLINE_JOBS", "false", "SIGHTLINE_DEVICE_DETECTION", "false"),
                new MutableClock(Instant.parse("2026-11-02T12:00:00Z")));
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setPassword(TestDatabase.server().password());
        app = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"berlin\",\"time_zone\":\"Europe/Berlin\"}")
                .body()).get("id").asLong();
        List<Instant> times = new ArrayList<>();
        times.addAll(Collections.nCopies(2, Instant.parse("2026-10-25T00:30:00Z"))); // 02:30 +02:00
        times.addAll(Collections.nCopies(3, Instant.parse("2026-10-25T01:30:00Z"))); // 02:30 +01:00, the hour again
        times.add(Instant.parse("2026-10-25T02:30:00Z"));                              // 03:30 +01:00
        times.add(Instant.parse("2026-03-29T00:30:00Z"));                              // 01:30 +01:00
        times.addAll(Collections.nCopies(4, Instant.parse("2026-03-29T01:30:00Z"))); // 03:30 +02:00
        new StatsFixture(dataSource, 3, 10).insert(app, times, "qr_scan");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_hour_repeated_when_clocks_go_back_is_two_buckets_each_with_its_offset_and_its_own_events() throws Exception {
        JsonNode buckets = hourly("2026-10-25");
        assertThat(buckets).hasSize(25);
        assertThat(label(buckets.get(2))).isEqualTo("2026-10-25T02:00+02:00");
        assertThat(label(buckets.get(3))).isEqualTo("2026-10-25T02:00+01:00");
        assertThat(label(buckets.get(4))).isEqualTo("2026-10-25T03:00+01:00");
        assertThat(buckets).extracting(b -> b.get("events").asLong()).containsExactly(
                0L, 0L, 2L, 3L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertOneHourApart(buckets);
    }

    @Test
    void the_hour_skipped_when_clocks_go_forward_is_no_bucket() throws Exception {
        JsonNode buckets = hourly("2026-03-29");
        assertThat(buckets).hasSize(23);
        assertThat(label(buckets.get(1))).isEqualTo("2026-03-29T01:00+01:00");
        assertThat(label(buckets.get(2))).isEqualTo("2026-03-29T03:00+02:00");
        assertThat(buckets.get(1).get("events").asLong()).isEqualTo(1);
        assertThat(buckets.get(2).get("events").asLong()).isEqualTo(4);
        assertThat(buckets.findValues("events").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(5);
        assertOneHourApart(buckets);
    }

    @Test
    void day_buckets_carry_the_offset_at_their_start() throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/stats/timeseries?from=2026-10-24&to=2026-10-26"
                + "&interval=day", Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode buckets = JSON.readTree(r.body()).get("buckets");
        assertThat(buckets).extracting(HourlyClockChangeTest::label)
                .containsExactly("2026-10-24T00:00+02:00", "2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00");
        assertThat(buckets).extracting(b -> b.get("events").asLong()).containsExactly(0L, 6L, 0L);
    }

    private static JsonNode hourly(String day) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/stats/timeseries?from=" + day + "&to=" + day
                + "&interval=hour", Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("buckets");
    }

    /** The bucket's start and offset read back as one ISO 8601 time. */
    private static String label(JsonNode bucket) {
        return OffsetDateTime.parse(bucket.get("start").asText() + bucket.get("offset").asText()).toString();
    }

    private static void assertOneHourApart(JsonNode buckets) {
        for (int i = 1; i < buckets.size(); i++) {
            assertThat(OffsetDateTime.parse(label(buckets.get(i))).toInstant())
                    .isEqualTo(OffsetDateTime.parse(label(buckets.get(i - 1))).toInstant().plusSeconds(3_600));
        }
    }
}
