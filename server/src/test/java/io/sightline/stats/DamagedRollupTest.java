package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.rollup.RollupService;
import io.sightline.testing.MutableClock;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rollup rows whose sketch bytes were damaged in the database: every query touching them still answers 200 with the
 * counts it gave before, reading a damaged day raw and a damaged month from its daily rows.
 */
class DamagedRollupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-04-02T10:00:00Z"));
    private static final List<String> ENDPOINTS = List.of("summary?", "breakdown?by=country&", "timeseries?interval=week&");
    private static TestServer server;
    private static RollupService rollups;
    private static long app;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("SIGHTLINE_JOBS", "false", "SIGHTLINE_DEVICE_DETECTION", "false"), CLOCK);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setPassword(TestDatabase.server().password());
        app = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"damaged\"}").body()).get("id").asLong();
        new StatsFixture(dataSource, 7, 400).spread(app, Instant.parse("2026-02-10T00:00:00Z"),
                Instant.parse("2026-04-01T00:00:00Z"), 6_000);
        rollups = new RollupService(dataSource, CLOCK);
        for (LocalDate day = LocalDate.parse("2026-02-10"); day.isBefore(LocalDate.parse("2026-04-01")); day = day.plusDays(1)) {
            rollups.rollUp(app, day);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_day_with_damaged_sketches_is_read_raw_with_the_same_counts_on_every_endpoint() throws Exception {
        LocalDate day = LocalDate.parse("2026-02-24");
        String range = "from=2026-02-20&to=2026-02-27";
        for (String endpoint : ENDPOINTS) {
            // A fresh roll each time: the server sets a damaged day aside until that day is rolled again.
            CLOCK.advance(Duration.ofSeconds(1));
            rollups.rollUp(app, day);
            JsonNode before = get(endpoint + range);
            damage("analytics_daily_stats", day);

            JsonNode after = get(endpoint + range);
            assertThat(rolledDays(after)).as(endpoint).isEqualTo(rolledDays(before) - 1);
            assertThat(withoutRolledCounts(after)).as(endpoint).isEqualTo(withoutRolledCounts(before));
            assertThat(rolledDays(get(endpoint + range))).as(endpoint + " again").isEqualTo(rolledDays(before) - 1);
        }
        CLOCK.advance(Duration.ofSeconds(1));
        rollups.rollUp(app, day);
        assertThat(rolledDays(get("summary?" + range))).as("after a new roll").isEqualTo(8);
    }

    @Test
    void a_month_with_damaged_sketches_is_read_from_its_daily_rollups_with_the_same_counts() throws Exception {
        String range = "from=2026-03-01&to=2026-03-31";
        for (String endpoint : List.of("summary?", "breakdown?by=country&")) {
            CLOCK.advance(Duration.ofSeconds(1));
            rollups.rollUp(app, LocalDate.parse("2026-03-31"));
            JsonNode before = get(endpoint + range);
            assertThat(before.findValue("rolled_months").asInt()).as(endpoint).isEqualTo(1);
            damage("analytics_monthly_stats", LocalDate.parse("2026-03-01"));

            JsonNode after = get(endpoint + range);
            assertThat(after.findValue("rolled_months").asInt()).as(endpoint).isZero();
            assertThat(rolledDays(after)).as(endpoint).isEqualTo(31);
            assertThat(withoutRolledCounts(after)).as(endpoint).isEqualTo(withoutRolledCounts(before));
        }
    }

    private static void damage(String table, LocalDate day) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement("UPDATE " + table
                + " SET visitors = '\\x11ff'::bytea, sessions = '\\x7f'::bytea WHERE app_id = ? AND day = ?")) {
            ps.setLong(1, app);
            ps.setObject(2, day);
            assertThat(ps.executeUpdate()).isPositive();
        }
    }

    private static JsonNode get(String endpointAndQuery) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/stats/" + endpointAndQuery,
                Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(r.statusCode()).as(endpointAndQuery + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The rolled days of the asked period (a summary also reports its previous period). */
    private static int rolledDays(JsonNode answer) {
        return (answer.has("current") ? answer.get("current") : answer).get("rolled_days").asInt();
    }

    private static JsonNode withoutRolledCounts(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        for (JsonNode node : List.of(copy, copy.path("current"), copy.path("previous"))) {
            if (node instanceof ObjectNode object) {
                object.remove(List.of("rolled_days", "rolled_months"));
            }
        }
        return copy;
    }
}
