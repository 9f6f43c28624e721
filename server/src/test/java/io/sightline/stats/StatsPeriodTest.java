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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hand-placed events: the comparison period, time-zone bucketing at day edges, and the realtime windows. */
class StatsPeriodTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static TestServer server;
    private static StatsFixture fixture;
    private static MutableClock clock;

    @BeforeAll
    static void start() {
        clock = new MutableClock(NOW);
        server = TestServer.start(Map.of(), clock);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setPassword(TestDatabase.server().password());
        fixture = new StatsFixture(dataSource, 7, 1_000_000);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long newApp(String zone) throws Exception {
        return JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"p\",\"time_zone\":\"" + zone + "\"}").body())
                .get("id").asLong();
    }

    private static JsonNode get(long app, String endpoint, String query) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/stats/" + endpoint + "?" + query,
                Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<Instant> times(int count, Instant at) {
        return new ArrayList<>(Collections.nCopies(count, at));
    }

    @Test
    void summary_compares_with_the_previous_period_of_the_same_length() throws Exception {
        long app = newApp("UTC");
        fixture.insert(app, times(12, Instant.parse("2026-05-20T10:00:00Z")), "qr_scan");     // current
        fixture.insert(app, times(3, Instant.parse("2026-05-31T23:59:59Z")), "conversion");   // current, last second
        fixture.insert(app, times(5, Instant.parse("2026-05-01T00:00:00Z")), "qr_scan");      // previous, first second
        fixture.insert(app, times(7, Instant.parse("2026-04-30T23:59:59Z")), "qr_scan");      // before both
        JsonNode s = get(app, "summary", "from=2026-05-16&to=2026-05-31");
        assertThat(s.get("current").get("events").asLong()).isEqualTo(15);
        assertThat(s.get("current").get("conversions").asLong()).isEqualTo(3);
        assertThat(s.get("previous").get("from").asText()).isEqualTo("2026-04-30T00:00:00Z");
        assertThat(s.get("previous").get("to").asText()).isEqualTo("2026-05-16T00:00:00Z");
        assertThat(s.get("previous").get("events").asLong()).isEqualTo(12);
        assertThat(s.get("change").get("events").asDouble()).isEqualTo(0.25);
        assertThat(s.get("change").get("conversions").isNull()).isTrue(); // nothing to compare with
    }

    @Test
    void days_are_bucketed_in_the_requested_zone() throws Exception {
        long app = newApp("UTC");
        // 23:30 UTC on 10 June is already 11 June in Berlin and still 10 June in New York.
        fixture.insert(app, times(4, Instant.parse("2026-06-10T23:30:00Z")), "qr_scan");
        fixture.insert(app, times(2, Instant.parse("2026-06-10T03:30:00Z")), "qr_scan");
        JsonNode berlin = get(app, "timeseries", "from=2026-06-09&to=2026-06-11&interval=day&tz=Europe/Berlin");
        assertThat(berlin.get("buckets")).extracting(b -> b.get("events").asLong()).containsExactly(0L, 2L, 4L);
        JsonNode newYork = get(app, "timeseries", "from=2026-06-09&to=2026-06-11&interval=day&tz=America/New_York");
        assertThat(newYork.get("buckets")).extracting(b -> b.get("events").asLong()).containsExactly(2L, 4L, 0L);
        long fixed = newApp("+05:00"); // an app zone given as an offset: east of UTC, as in ISO 8601
        fixture.insert(fixed, times(3, Instant.parse("2026-06-10T20:00:00Z")), "qr_scan");
        JsonNode offset = get(fixed, "timeseries", "from=2026-06-10&to=2026-06-11&interval=day");
        assertThat(offset.get("buckets")).extracting(b -> b.get("events").asLong()).containsExactly(0L, 3L);
        JsonNode hours = get(app, "timeseries", "from=2026-06-11&to=2026-06-11&interval=hour&tz=Europe/Berlin");
        assertThat(hours.get("buckets")).hasSize(24);
        assertThat(hours.get("buckets").get(1).get("start").asText()).isEqualTo("2026-06-11T01:00:00");
        assertThat(hours.get("buckets").get(1).get("events").asLong()).isEqualTo(4);
    }

    @Test
    void realtime_counts_the_last_5_and_30_minutes_by_the_injected_clock() throws Exception {
        long app = newApp("UTC");
        fixture.insert(app, times(3, NOW.minus(Duration.ofMinutes(2))), "qr_scan");
        fixture.insert(app, times(4, NOW.minus(Duration.ofMinutes(20))), "qr_scan");
        fixture.insert(app, times(5, NOW.minus(Duration.ofMinutes(31))), "qr_scan");
        fixture.insert(app, times(1, NOW.minus(Duration.ofMinutes(2))), "conversion");
        JsonNode r = get(app, "realtime", "");
        assertThat(r.get("windows").get(0).get("minutes").asInt()).isEqualTo(5);
        assertThat(r.get("windows").get(0).get("events").asLong()).isEqualTo(4);
        assertThat(r.get("windows").get(1).get("events").asLong()).isEqualTo(8);
        assertThat(r.get("windows").get(1).get("visitors").asLong()).isBetween(1L, 8L);
        assertThat(get(app, "realtime", "event_type=conversion").get("windows").get(1).get("events").asLong()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(10));
        try {
            JsonNode later = get(app, "realtime", "");
            assertThat(later.get("windows").get(0).get("events").asLong()).isZero();
            assertThat(later.get("windows").get(1).get("events").asLong()).isEqualTo(8);
        } finally {
            clock.set(NOW);
        }
    }
}
