package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/analytics/web}, the web tracker's route: a text/plain body with the write key inside (what a
 * page may send to another origin without a preflight, and what sendBeacon sends), CORS for any origin on this
 * route only, and the visitor and session derived on the server.
 */
class WebIngestApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = "https://shop.example.com";
    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String batch(String writeKey, String... events) {
        return "{\"write_key\":" + (writeKey == null ? "null" : "\"" + writeKey + "\"") + ",\"events\":["
                + String.join(",", events) + "]}";
    }

    private static String custom(UUID id, String name) {
        return "{\"event_id\":\"" + id + "\",\"type\":\"custom\",\"name\":\"" + name + "\",\"properties\":{}}";
    }

    private static HttpResponse<String> post(String body, String contentType, String userAgent) {
        return server.post(WebIngestHandler.PATH, body, Map.of("Content-Type", contentType, "Origin", PAGE,
                "User-Agent", userAgent));
    }

    private static HttpResponse<String> post(String body) {
        return post(body, "text/plain;charset=UTF-8", CHROME);
    }

    private static List<String[]> stored(String name) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement("SELECT visitor_id, session_id,"
                + " array_to_string(derived, ',') FROM analytics_events WHERE event_name = ?")) {
            ps.setString(1, name);
            List<String[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            return rows;
        }
    }

    @Test
    void stores_a_text_plain_batch_whose_write_key_is_in_the_body_and_lets_any_page_read_the_answer() throws Exception {
        HttpResponse<String> r = post(batch(server.writeKey(), custom(UUID.randomUUID(), "web_stored")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        assertThat(body.get("rejected")).isEmpty();
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(stored("web_stored")).hasSize(1);
    }

    @Test
    void derives_visitor_and_session_from_address_and_browser_when_the_page_sends_none() throws Exception {
        String firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assertThat(post(batch(server.writeKey(), custom(UUID.randomUUID(), "web_derived"))).statusCode()).isEqualTo(200);
        assertThat(post(batch(server.writeKey(), custom(UUID.randomUUID(), "web_derived"))).statusCode()).isEqualTo(200);
        assertThat(post(batch(server.writeKey(), custom(UUID.randomUUID(), "web_derived")), "text/plain", firefox)
                .statusCode()).isEqualTo(200);

        List<String[]> rows = stored("web_derived");
        assertThat(rows).hasSize(3);
        for (String[] row : rows) {
            assertThat(row[0]).as("visitor_id").isNotNull();
            assertThat(row[1]).as("session_id").isNotNull();
            assertThat(row[2].split(",")).contains("visitor_id", "session_id");
        }
        // Same address and browser: one visitor in one session; another browser is another visitor.
        assertThat(rows.stream().map(row -> row[0]).distinct()).hasSize(2);
        assertThat(rows.stream().map(row -> row[1]).distinct()).hasSize(2);
    }

    @Test
    void a_batch_sent_again_with_the_same_event_ids_is_stored_once() throws Exception {
        String body = batch(server.writeKey(), custom(UUID.randomUUID(), "web_retried"),
                custom(UUID.randomUUID(), "web_retried"));
        assertThat(post(body).statusCode()).isEqualTo(200);
        HttpResponse<String> again = post(body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(stored("web_retried")).hasSize(2);
    }

    @Test
    void an_invalid_event_is_rejected_by_index_and_its_siblings_are_stored() throws Exception {
        HttpResponse<String> r = post(batch(server.writeKey(), custom(UUID.randomUUID(), "web_sibling"),
                "{\"type\":\"placement\",\"properties\":{}}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode rejected = JSON.readTree(r.body()).get("rejected");
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(rejected.get(0).get("field").asText()).isEqualTo("properties.object_id");
        assertThat(stored("web_sibling")).hasSize(1);
    }

    @Test
    void refuses_a_missing_or_unknown_write_key_and_still_lets_the_page_read_why() throws Exception {
        HttpResponse<String> missing = post(batch(null, custom(UUID.randomUUID(), "web_unauthorised")));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(missing.body()).at("/error/code").asText()).isEqualTo("missing_write_key");
        assertThat(missing.headers().firstValue("Access-Control-Allow-Origin")).contains("*");

        HttpResponse<String> wrong = post(batch("wk_not_a_key", custom(UUID.randomUUID(), "web_unauthorised")));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).at("/error/code").asText()).isEqualTo("invalid_write_key");

        // A header key does not stand in for the body's: this route reads the body only.
        HttpResponse<String> header = server.post(WebIngestHandler.PATH, batch(null,
                custom(UUID.randomUUID(), "web_unauthorised")), Map.of("Content-Type", "text/plain",
                "X-Write-Key", server.writeKey()));
        assertThat(header.statusCode()).isEqualTo(401);
        assertThat(stored("web_unauthorised")).isEmpty();
    }

    @Test
    void refuses_bodies_that_are_not_a_text_plain_envelope() throws Exception {
        String valid = batch(server.writeKey(), custom(UUID.randomUUID(), "web_refused"));
        HttpResponse<String> json = post(valid, "application/json", CHROME);
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(json.body()).at("/error/message").asText()).contains("text/plain");

        assertThat(post("[1, 2]").statusCode()).isEqualTo(400);
        assertThat(post("{\"write_key\":").statusCode()).isEqualTo(400);
        HttpResponse<String> extra = post("{\"write_key\":\"" + server.writeKey() + "\",\"events\":[],\"x\":1}");
        assertThat(extra.statusCode()).isEqualTo(400);
        assertThat(stored("web_refused")).isEmpty();
    }

    @Test
    void cors_is_open_on_this_route_only_and_allows_no_preflighted_request() {
        // The tracker's requests need no preflight; one asking to send JSON or a header is not approved.
        HttpResponse<String> preflight = TestServer.send(HttpRequest.newBuilder(server.uri(WebIngestHandler.PATH))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10))
                .header("Origin", PAGE).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-write-key").build());
        assertThat(preflight.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).isEmpty();

        HttpResponse<String> nativeBatch = server.post("/api/v1/analytics/batch", "{\"events\":["
                + custom(UUID.randomUUID(), "web_native") + "]}", Map.of("Content-Type", "application/json",
                "X-Write-Key", server.writeKey(), "Origin", PAGE));
        assertThat(nativeBatch.statusCode()).isEqualTo(200);
        assertThat(nativeBatch.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
