package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UTM parameters as stats dimensions: events sent through ingestion with known campaigns over three finished
 * days and today; the breakdown by utm_campaign, rolled and raw, equals a count of what was sent.
 */
class UtmBreakdownApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-04-02T10:00:00Z");
    private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
    private static final String[] CAMPAIGNS = {"spring", "spring", "spring", "summer", "Frühling 🌷", null};
    private static final String[] SOURCES = {"meta", "google", "google", null};
    /** Counts of what was sent, by campaign ("" when not set), overall and for utm_source=google. */
    private static final Map<String, Long> SENT = new HashMap<>();
    private static final Map<String, Long> SENT_FROM_GOOGLE = new HashMap<>();
    private static TestServer server;
    private static long app;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        server = TestServer.start(Map.of(), clock);
        JsonNode created = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"utm\"}").body());
        app = created.get("id").asLong();
        String writeKey = created.get("write_key").asText();
        token = JSON.readTree(server.admin("POST", "/api/v1/apps/" + app + "/api-tokens", "{\"label\":\"t\"}").body())
                .get("token").asText();

        Random random = new Random(15);
        Instant from = TODAY.minusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant();
        long span = Duration.between(from, NOW.minusSeconds(60)).toMillis();
        for (int batch = 0; batch < 2; batch++) {
            StringBuilder events = new StringBuilder("{\"events\":[");
            for (int i = 0; i < 300; i++) {
                String campaign = CAMPAIGNS[random.nextInt(CAMPAIGNS.length)];
                String source = SOURCES[random.nextInt(SOURCES.length)];
                Instant at = from.plusMillis((long) (random.nextDouble() * span));
                SENT.merge(campaign == null ? "" : campaign, 1L, Long::sum);
                if ("google".equals(source)) {
                    SENT_FROM_GOOGLE.merge(campaign == null ? "" : campaign, 1L, Long::sum);
                }
                events.append(i == 0 ? "" : ",").append("{\"type\":\"screenshot\",\"visitor_id\":\"v-")
                        .append(random.nextInt(40)).append("\",\"occurred_at\":\"").append(at).append("\",")
                        .append("\"context\":{\"campaign\":{").append(member("utm_campaign", campaign, ""))
                        .append(member("utm_source", source, campaign == null ? "" : ",")).append("}}}");
            }
            HttpResponse<String> r = server.post("/api/v1/analytics/batch", events.append("]}").toString(),
                    Map.of("Content-Type", "application/json", "X-Write-Key", writeKey));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(300);
        }
        try (Connection c = server.db(); Statement s = c.createStatement()) {
            // Sent days ago, the events are late and their days marked; rolled up after all arrived, none is stale.
            s.execute("DELETE FROM rollup_dirty");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setPassword(TestDatabase.server().password());
        RollupService rollups = new RollupService(dataSource, clock);
        for (LocalDate day = TODAY.minusDays(3); day.isBefore(TODAY); day = day.plusDays(1)) {
            rollups.rollUp(app, day);
        }
    }

    private static String member(String key, String value, String separator) {
        return value == null ? "" : separator + "\"" + key + "\":\"" + value + "\"";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode breakdown(String query) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/stats/breakdown?" + query,
                Map.of("Authorization", "Bearer " + token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Map<String, Long> counts(JsonNode breakdown) {
        Map<String, Long> counts = new HashMap<>();
        breakdown.get("values").forEach(v -> counts.put(v.get("value").asText(), v.get("events").asLong()));
        return counts;
    }

    /** Hides every rollup_days row while the query runs, so the range is answered from raw events. */
    private static JsonNode raw(String query) throws Exception {
        try (Connection c = server.db(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE hidden_rollup_days AS SELECT * FROM rollup_days");
            s.execute("DELETE FROM rollup_days");
        }
        try {
            return breakdown(query);
        } finally {
            try (Connection c = server.db(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO rollup_days SELECT * FROM hidden_rollup_days");
                s.execute("DROP TABLE hidden_rollup_days");
            }
        }
    }

    private static String range() {
        return "from=" + TODAY.minusDays(3) + "&to=" + TODAY;
    }

    @Test
    void breakdown_by_utm_campaign_counts_what_was_sent_from_rollups_and_from_raw_events() throws Exception {
        JsonNode rolled = breakdown("by=utm_campaign&limit=100&" + range());
        assertThat(rolled.get("rolled_days").asInt()).isEqualTo(3);
        assertThat(counts(rolled)).isEqualTo(SENT);

        JsonNode raw = raw("by=utm_campaign&limit=100&" + range());
        assertThat(raw.get("rolled_days").asInt()).isZero();
        assertThat(counts(raw)).isEqualTo(SENT);
    }

    @Test
    void an_equality_filter_on_the_same_dimension_is_read_from_rollups_and_on_another_from_raw_events() throws Exception {
        JsonNode same = breakdown("by=utm_campaign&filter=utm_campaign:eq:spring&" + range());
        assertThat(same.get("rolled_days").asInt()).isEqualTo(3);
        assertThat(counts(same)).isEqualTo(Map.of("spring", SENT.get("spring")));

        // Rollup rows hold one dimension each, so a campaign breakdown filtered by source is read raw.
        JsonNode crossed = breakdown("by=utm_campaign&limit=100&filter=utm_source:eq:google&" + range());
        assertThat(crossed.get("rolled_days").asInt()).isZero();
        assertThat(counts(crossed)).isEqualTo(SENT_FROM_GOOGLE);
    }

    @Test
    void the_daily_rollup_keeps_a_row_per_campaign_value() throws Exception {
        try (Connection c = server.db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT DISTINCT value FROM analytics_daily_stats WHERE app_id = " + app
                        + " AND dimension = 'utm_campaign'")) {
            java.util.Set<String> values = new java.util.HashSet<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            assertThat(values).containsExactlyInAnyOrderElementsOf(SENT.keySet());
        }
    }
}
