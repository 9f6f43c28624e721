package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IngestApiTest {
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

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static String event(String type, String properties) {
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"occurred_at\":\"" + now()
                + "\",\"session_id\":\"s1\",\"visitor_id\":\"v1\",\"properties\":" + properties + "}";
    }

    private static JsonNode body(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
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

    @Test
    void stores_one_event_of_each_type_with_its_context() throws Exception {
        String[] events = {
                event("qr_scan", "{\"qr_code_id\":\"poster-7\",\"campaign\":\"spring\"}"),
                event("placement", "{\"object_id\":\"chair\",\"surface\":\"horizontal\",\"duration_ms\":1200}"),
                event("interaction", "{\"object_id\":\"chair\",\"kind\":\"rotate\",\"value\":90}"),
                event("screenshot", "{\"object_id\":\"chair\"}"),
                event("conversion", "{\"cta_id\":\"buy\",\"value\":49.9,\"currency\":\"EUR\"}"),
                "{\"type\":\"custom\",\"name\":\"menu_opened\",\"properties\":{\"depth\":2},"
                        + "\"context\":{\"device\":{\"os\":\"iOS\",\"os_version\":\"17.4\",\"model\":\"iPhone14,2\","
                        + "\"type\":\"phone\"},\"app\":{\"version\":\"2.3\",\"build\":\"41\"},\"location\":{\"latitude\":"
                        + "52.52,\"longitude\":13.405,\"city\":\"Berlin\",\"country\":\"DE\",\"accuracy_m\":30},"
                        + "\"locale\":\"de-DE\",\"consent\":{\"analytics\":true,\"ads\":false}}}"
        };
        for (String e : events) {
            HttpResponse<String> r = server.ingest("/api/v1/analytics/track", e);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(body(r).get("accepted").asInt()).isEqualTo(1);
        }
        for (String type : new String[]{"qr_scan", "placement", "interaction", "screenshot", "conversion", "custom"}) {
            assertThat(count("SELECT count(*) FROM analytics_events WHERE event_type = ?", type)).as(type).isGreaterThanOrEqualTo(1);
        }
        try (Connection c = server.db(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT event_name, os, os_version, device_model, device_type, app_version, app_build, city, country,"
                        + " latitude, longitude, locale, consent_analytics, consent_ads, properties->>'depth', ip_hash"
                        + " FROM analytics_events WHERE event_type = 'custom'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("menu_opened");
            assertThat(rs.getString(2)).isEqualTo("iOS");
            assertThat(rs.getString(3)).isEqualTo("17.4");
            assertThat(rs.getString(4)).isEqualTo("iPhone14,2");
            assertThat(rs.getString(5)).isEqualTo("phone");
            assertThat(rs.getString(6)).isEqualTo("2.3");
            assertThat(rs.getString(7)).isEqualTo("41");
            assertThat(rs.getString(8)).isEqualTo("Berlin");
            assertThat(rs.getString(9)).isEqualTo("DE");
            assertThat(rs.getDouble(10)).isEqualTo(52.52);
            assertThat(rs.getDouble(11)).isEqualTo(13.41); // rounded to SIGHTLINE_LOCATION_DECIMALS (2)
            assertThat(rs.getString(12)).isEqualTo("de-DE");
            assertThat(rs.getBoolean(13)).isTrue();
            assertThat(rs.getBoolean(14)).isFalse();
            assertThat(rs.getString(15)).isEqualTo("2");
            assertThat(rs.getBytes(16)).hasSize(32);
        }
    }

    @Test
    void keeps_text_with_tabs_newlines_backslashes_and_emoji_exactly() throws Exception {
        String id = UUID.randomUUID().toString();
        String tricky = "a\\tb\\nc\\\\d\\r😀 ü";
        HttpResponse<String> r = server.ingest("/api/v1/analytics/track", "{\"event_id\":\"" + id
                + "\",\"type\":\"screenshot\",\"properties\":{\"note\":\"" + tricky + "\"},\"user_id\":\"" + tricky + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT user_id, properties->>'note' FROM analytics_events WHERE event_id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("a\tb\nc\\d\r😀 ü");
                assertThat(rs.getString(2)).isEqualTo("a\tb\nc\\d\r😀 ü");
            }
        }
    }

    @Test
    void stores_the_valid_items_of_a_batch_and_reports_the_others_by_index() throws Exception {
        String good1 = event("qr_scan", "{\"qr_code_id\":\"q1\"}");
        String bad = "{\"type\":\"placement\",\"properties\":{}}";
        String good2 = event("screenshot", "{}");
        String unknown = "{\"type\":\"teleport\"}";
        HttpResponse<String> r = server.ingest("/api/v1/analytics/batch",
                "{\"events\":[" + good1 + "," + bad + "," + good2 + "," + unknown + "]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode b = body(r);
        assertThat(b.get("accepted").asInt()).isEqualTo(2);
        assertThat(b.get("rejected")).hasSize(2);
        assertThat(b.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(b.get("rejected").get(0).get("code").asText()).isEqualTo("missing_field");
        assertThat(b.get("rejected").get(0).get("field").asText()).isEqualTo("properties.object_id");
        assertThat(b.get("rejected").get(0).get("message").asText()).isNotBlank();
        assertThat(b.get("rejected").get(1).get("index").asInt()).isEqualTo(3);
        assertThat(b.get("rejected").get(1).get("code").asText()).isEqualTo("unknown_event_type");
        String id1 = JSON.readTree(good1).get("event_id").asText();
        String id2 = JSON.readTree(good2).get("event_id").asText();
        assertThat(count("SELECT count(*) FROM analytics_events WHERE event_id IN (?::uuid, ?::uuid)", id1, id2)).isEqualTo(2);
    }

    @Test
    void stores_a_retried_event_once_and_acknowledges_every_retry() throws Exception {
        String e = event("conversion", "{\"cta_id\":\"buy\"}");
        String id = JSON.readTree(e).get("event_id").asText();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = server.ingest("/api/v1/analytics/track", e);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(body(r).get("event_id").asText()).isEqualTo(id);
        }
        HttpResponse<String> r = server.ingest("/api/v1/analytics/batch", "{\"events\":[" + e + "," + e + "]}");
        assertThat(body(r).get("accepted").asInt()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM analytics_events WHERE event_id = ?::uuid", id)).isEqualTo(1);
    }

    @Test
    void makes_an_event_id_when_the_client_sends_none() throws Exception {
        HttpResponse<String> r = server.ingest("/api/v1/analytics/track", "{\"type\":\"screenshot\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        String id = body(r).get("event_id").asText();
        assertThat(count("SELECT count(*) FROM analytics_events WHERE event_id = ?::uuid", id)).isEqualTo(1);
    }

    @Test
    void refuses_an_invalid_event_naming_the_field() throws Exception {
        HttpResponse<String> r = server.ingest("/api/v1/analytics/track",
                "{\"type\":\"qr_scan\",\"properties\":{\"campaign\":\"x\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = body(r).get("error");
        assertThat(error.get("code").asText()).isEqualTo("missing_field");
        assertThat(error.get("field").asText()).isEqualTo("properties.qr_code_id");
    }

    @Test
    void refuses_an_event_a_day_and_more_in_the_future_or_older_than_the_backfill_window() throws Exception {
        String future = Instant.now().plus(25, ChronoUnit.HOURS).toString();
        String old = Instant.now().minus(8, ChronoUnit.DAYS).toString();
        for (String at : new String[]{future, old}) {
            HttpResponse<String> r = server.ingest("/api/v1/analytics/track",
                    "{\"type\":\"screenshot\",\"occurred_at\":\"" + at + "\"}");
            assertThat(r.statusCode()).as(at).isEqualTo(400);
            assertThat(body(r).get("error").get("field").asText()).isEqualTo("occurred_at");
        }
    }

    @Test
    void accepts_the_write_key_as_http_basic_user() {
        String basic = Base64.getEncoder().encodeToString((server.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\"}",
                Map.of("Content-Type", "application/json", "Authorization", "Basic " + basic));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void refuses_requests_without_a_valid_write_key() throws Exception {
        HttpResponse<String> missing = server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\"}",
                Map.of("Content-Type", "application/json"));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(body(missing).get("error").get("code").asText()).isEqualTo("missing_write_key");
        HttpResponse<String> wrong = server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\"}",
                Map.of("Content-Type", "application/json", "X-Write-Key", "wk_nope"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(body(wrong).get("error").get("code").asText()).isEqualTo("invalid_write_key");
    }

    @Test
    void answers_bad_bodies_with_a_clear_4xx_and_never_a_500() throws Exception {
        Map<String, String> json = Map.of("Content-Type", "application/json", "X-Write-Key", server.writeKey());
        assertError(server.post("/api/v1/analytics/track", "{\"type\":", json), 400, "malformed_json");
        assertError(server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\"} trailing", json), 400, "malformed_json");
        assertError(server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\",\"type\":\"qr_scan\"}", json), 400, "malformed_json");
        assertError(server.post("/api/v1/analytics/track", "", json), 400, "empty_body");
        assertError(server.post("/api/v1/analytics/track", "[1,2]", json), 400, "invalid_type");
        assertError(server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\",\"user_id\":\"a\\u0000b\"}", json),
                400, "invalid_character");
        assertError(server.postBytes("/api/v1/analytics/track", new byte[]{'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, json),
                400, "invalid_utf8");
        assertError(server.postBytes("/api/v1/analytics/track", "{\"type\":\"screenshot\",\"user_id\":\"a\u0000b\"}"
                .getBytes(StandardCharsets.UTF_8), json), 400, "malformed_json");
        assertError(server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\"}",
                Map.of("Content-Type", "text/plain", "X-Write-Key", server.writeKey())), 415, "unsupported_media_type");
        assertError(server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\"}",
                Map.of("Content-Type", "application/json; charset=latin1", "X-Write-Key", server.writeKey())), 415, "unsupported_media_type");
        String huge = "{\"events\":[" + ("{\"type\":\"screenshot\",\"properties\":{\"pad\":\"" + "x".repeat(900) + "\"}},").repeat(1200)
                + "{\"type\":\"screenshot\"}]}";
        assertError(server.post("/api/v1/analytics/batch", huge, json), 413, "body_too_large");
        String bigEvent = "{\"type\":\"screenshot\",\"properties\":{\"pad\":\"" + "x".repeat(40_000) + "\"}}";
        assertError(server.post("/api/v1/analytics/track", bigEvent, json), 413, "body_too_large");
        String tooMany = "{\"events\":[" + "{\"type\":\"screenshot\"},".repeat(500) + "{\"type\":\"screenshot\"}]}";
        HttpResponse<String> r = server.post("/api/v1/analytics/batch", tooMany, json);
        assertError(r, 400, "too_many_items");
        assertThat(body(r).get("error").get("field").asText()).isEqualTo("events");
        assertError(server.post("/api/v1/analytics/batch", "{\"events\":[]}", json), 400, "too_many_items");
        assertError(server.post("/api/v1/analytics/batch", "{\"items\":[]}", json), 400, "unknown_field");
        assertError(server.post("/api/v1/analytics/batch", "{\"events\":{}}", json), 400, "invalid_type");
        assertError(server.get("/api/v1/nothing-here", Map.of()), 404, "not_found");
    }

    @Test
    void a_batch_of_exactly_500_events_within_1_mib_is_accepted() throws Exception {
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 500; i++) {
            b.append(i == 0 ? "" : ",").append(event("interaction", "{\"object_id\":\"o\",\"kind\":\"tap\",\"pad1\":\""
                    + "p".repeat(900) + "\",\"pad2\":\"" + "p".repeat(900) + "\"}"));
        }
        String json = b.append("]}").toString();
        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isBetween(1_000_000, 1 << 20);
        HttpResponse<String> r = server.ingest("/api/v1/analytics/batch", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(body(r).get("accepted").asInt()).isEqualTo(500);
    }

    @Test
    void stores_every_event_of_concurrent_full_batches_when_several_writers_share_the_backlog() throws Exception {
        String app = "backlog-" + UUID.randomUUID();
        java.util.List<Thread> senders = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger acknowledged = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 8; t++) {
            Thread sender = new Thread(() -> {
                for (int b = 0; b < 5; b++) {
                    StringBuilder batch = new StringBuilder("{\"events\":[");
                    for (int i = 0; i < 500; i++) {
                        batch.append(i == 0 ? "" : ",").append(event("qr_scan", "{\"qr_code_id\":\"" + app + "\"}"));
                    }
                    HttpResponse<String> r = server.ingest("/api/v1/analytics/batch", batch.append("]}").toString());
                    if (r.statusCode() == 200) {
                        acknowledged.addAndGet(500);
                    }
                }
            });
            senders.add(sender);
            sender.start();
        }
        for (Thread sender : senders) {
            sender.join(120_000);
        }
        assertThat(acknowledged.get()).isEqualTo(20_000);
        assertThat(count("SELECT count(*) FROM analytics_events WHERE properties->>'qr_code_id' = ?", app)).isEqualTo(20_000);
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(body(r).get("error").get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(body(r).get("error").has("message")).isTrue();
        assertThat(body(r).get("error").has("field")).isTrue();
    }
}
