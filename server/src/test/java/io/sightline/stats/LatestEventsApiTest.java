package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code stats/events}: the latest events of the range, newest first, as an independent SQL read of the table finds
 * them, with the common parameters applied and without anything that identifies a person beyond the pseudonymous ids.
 */
class LatestEventsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FROM = Instant.parse("2025-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-03-08T00:00:00Z");
    private static final Instant TIE = TO.minusSeconds(1);
    private static final String RANGE = "from=" + FROM + "&to=" + TO;
    private static TestServer server;
    private static PGSimpleDataSource dataSource;
    private static long app;
    private static String token;
    private static String otherToken;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setPassword(TestDatabase.server().password());
        app = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"latest\",\"time_zone\":\"UTC\"}").body())
                .get("id").asLong();
        long other = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"latest-other\"}").body())
                .get("id").asLong();
        token = apiToken(app);
        otherToken = apiToken(other);
        StatsFixture fixture = new StatsFixture(dataSource, 16, 300);
        // Around the range on both sides, so that its edges matter; three events of one instant just inside its end,
        // and one at its (exclusive) end.
        fixture.spread(app, FROM.minusSeconds(4 * 86_400), TO.plusSeconds(4 * 86_400), 4000);
        fixture.insert(app, List.of(TIE, TIE, TIE), "conversion");
        fixture.insert(app, List.of(TO), "qr_scan");
        fixture.spread(other, FROM, TO, 200);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE analytics_events SET user_id = 'user-secret-' || coalesce(visitor_id, 'none'),"
                        + " ip_hash = '\\x0a0b0c'::bytea, click_ids = '{\"gclid\": \"gclid-secret\"}',"
                        + " email_sha256 = repeat('e', 64), city = CASE WHEN country = 'DE' THEN 'Berlin' END,"
                        + " device_model = 'iPhone15,2', app_version = '2.1.0',"
                        + " event_name = CASE WHEN event_type = 'custom' THEN 'share' END WHERE app_id = ?")) {
            ps.setLong(1, app);
            ps.executeUpdate();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void lists_the_newest_events_of_the_range_first_as_the_table_holds_them() throws Exception {
        JsonNode events = ok(RANGE + "&limit=100").get("events");
        assertThat(events).hasSize(100);
        assertSameAs(events, expected("", List.of(), 100));
        // The instant just inside the end comes first (ties by event id); the event at the end itself is left out.
        for (int i = 0; i < 3; i++) {
            assertThat(Instant.parse(events.get(i).get("occurred_at").asText())).isEqualTo(TIE);
        }
        assertThat(Instant.parse(events.get(3).get("occurred_at").asText())).isBefore(TIE);
    }

    @Test
    void gives_fifty_by_default_and_as_many_as_asked() throws Exception {
        assertThat(ok(RANGE).get("events")).hasSize(50);
        assertSameAs(ok(RANGE + "&limit=7").get("events"), expected("", List.of(), 7));
        assertThat(ok(RANGE + "&limit=1").get("events")).hasSize(1);
    }

    @Test
    void applies_event_types_and_filters() throws Exception {
        String query = RANGE + "&limit=100&event_type=qr_scan,conversion&filter=" + encode("country:eq:DE");
        JsonNode events = ok(query).get("events");
        assertThat(events).isNotEmpty();
        assertSameAs(events, expected(" AND event_type IN ('qr_scan', 'conversion') AND country = ?", List.of("DE"), 100));
        for (JsonNode e : events) {
            assertThat(e.get("type").asText()).isIn("qr_scan", "conversion");
            assertThat(e.get("country").asText()).isEqualTo("DE");
        }
        JsonNode notSet = ok(RANGE + "&limit=100&filter=" + encode("os:eq:")).get("events");
        assertSameAs(notSet, expected(" AND os IS NULL", List.of(), 100));
    }

    @Test
    void keeps_to_the_range_read_in_the_time_zone() throws Exception {
        JsonNode day = ok("from=2025-03-03&to=2025-03-03&tz=Europe/Berlin&limit=100").get("events");
        Instant start = Instant.parse("2025-03-02T23:00:00Z");
        Instant end = Instant.parse("2025-03-03T23:00:00Z");
        assertThat(day).hasSize(100);
        assertThat(Instant.parse(day.get(0).get("occurred_at").asText())).isBefore(end);
        assertThat(Instant.parse(day.get(99).get("occurred_at").asText())).isAfterOrEqualTo(start);
        assertSameAs(day, expectedBetween(start, end, "", List.of(), 100));
    }

    @Test
    void never_answers_the_user_id_the_ip_hash_the_hashed_traits_or_the_click_ids() throws Exception {
        HttpResponse<String> r = get(app, RANGE + "&limit=100", token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("user-secret", "user_id", "ip_hash", "gclid", "click_ids", "email_sha256",
                "eeeeeeee");
        List<String> fields = new ArrayList<>();
        JSON.readTree(r.body()).get("events").get(0).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("event_id", "type", "name", "occurred_at", "visitor_id", "session_id",
                "country", "city", "os", "device_model", "browser", "app_version", "properties");
    }

    @Test
    void refuses_bad_parameters_naming_them() throws Exception {
        Map<String, String> field = Map.of(
                "limit=0", "limit", "limit=101", "limit", "limit=ten", "limit", "limit=5&limit=6", "limit",
                "event_type=bogus", "event_type", "filter=" + encode("nope:eq:x"), "filter",
                "from=2025-03-08&to=2025-03-01", "from", "tz=Mars/Base", "tz", "page=2", "page");
        for (var e : field.entrySet()) {
            HttpResponse<String> r = get(app, e.getKey(), token);
            assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).at("/error/field").asText()).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void another_apps_token_is_forbidden_and_an_unknown_app_is_not_found() throws Exception {
        HttpResponse<String> foreign = get(app, RANGE, otherToken);
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
        assertThat(get(app, RANGE, null).statusCode()).isEqualTo(401);
        assertThat(get(99_999, RANGE, server.adminToken()).statusCode()).isEqualTo(404);
        assertThat(get(app, RANGE, server.adminToken()).statusCode()).isEqualTo(200);
    }

    private static String apiToken(long appId) throws Exception {
        HttpResponse<String> r = server.admin("POST", "/api/v1/apps/" + appId + "/api-tokens", "{\"label\":\"events\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("token").asText();
    }

    private static JsonNode ok(String query) throws Exception {
        HttpResponse<String> r = get(app, query, token);
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> get(long appId, String query, String bearer) {
        return server.get("/api/v1/apps/" + appId + "/stats/events?" + query,
                bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<JsonNode> expected(String where, List<String> values, int limit) throws Exception {
        return expectedBetween(FROM, TO, where, values, limit);
    }

    /** The same answer read straight from the table, newest first, ties by descending event id. */
    private static List<JsonNode> expectedBetween(Instant from, Instant to, String where, List<String> values,
                                                  int limit) throws Exception {
        String sql = "SELECT event_id, event_type, event_name, occurred_at, visitor_id, session_id, country, city, os,"
                + " device_model, browser, app_version, properties::text FROM analytics_events"
                + " WHERE app_id = ? AND occurred_at >= ? AND occurred_at < ?" + where
                + " ORDER BY occurred_at DESC, event_id DESC LIMIT ?";
        List<JsonNode> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, app);
            ps.setTimestamp(i++, Timestamp.from(from));
            ps.setTimestamp(i++, Timestamp.from(to));
            for (String v : values) {
                ps.setString(i++, v);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var row = JSON.createObjectNode();
                    row.put("event_id", rs.getString(1));
                    row.put("type", rs.getString(2));
                    row.put("name", rs.getString(3));
                    row.put("occurred_at", rs.getTimestamp(4).toInstant().toString());
                    String[] names = {"visitor_id", "session_id", "country", "city", "os", "device_model", "browser",
                            "app_version"};
                    for (int k = 0; k < names.length; k++) {
                        row.put(names[k], rs.getString(5 + k));
                    }
                    row.set("properties", JSON.readTree(rs.getString(13)));
                    rows.add(row);
                }
            }
        }
        return Collections.unmodifiableList(rows);
    }

    private static void assertSameAs(JsonNode events, List<JsonNode> expected) {
        assertThat(expected).isNotEmpty();
        List<JsonNode> actual = new ArrayList<>();
        for (JsonNode e : events) {
            var copy = e.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy).put("occurred_at",
                    Instant.parse(e.get("occurred_at").asText()).toString());
            actual.add(copy);
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }
}
