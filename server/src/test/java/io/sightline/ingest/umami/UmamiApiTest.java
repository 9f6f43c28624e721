package io.sightline.ingest.umami;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.RawHttp;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.sightline.ingest.umami.UmamiFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Umami's {@code /api/send} and {@code /api/batch} over raw HTTP, in the forms Umami's clients send: events are
 * stored through the native pipeline, answers have Umami's shape, bad messages get a 4xx naming the Umami field.
 *
 * <p>The pageview tests need the {@code screen_view} event type, which the views part of issue 17 adds to
 * {@code event.EventType}: they pass once that branch is merged.
 */
class UmamiApiTest {
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
    void a_pageview_of_the_current_tracker_is_a_screen_view_with_the_page_and_a_derived_visitor() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Pageview");
        HttpResponse<String> r = site.send("event", "\"hostname\":\"shop.example\",\"screen\":\"1920x1080\","
                + "\"language\":\"de-de\",\"title\":\"Chairs & more\",\"url\":\"https://shop.example/chairs/%C3%BCber?c=1\","
                + "\"referrer\":\"https://www.search.example/?q=chairs\"");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("cache").asText()).isNotBlank();
        UmamiFixture.Row row = single(site.rows());
        assertThat(row.type()).isEqualTo("screen_view");
        assertThat(row.properties().get("url").asText()).isEqualTo("https://shop.example/chairs/%C3%BCber?c=1");
        assertThat(row.properties().get("path").asText()).isEqualTo("/chairs/über");
        assertThat(row.properties().get("referrer").asText()).isEqualTo("https://www.search.example/?q=chairs");
        assertThat(row.properties().get("title").asText()).isEqualTo("Chairs & more");
        assertThat(row.properties().get("screen").asText()).isEqualTo("1920x1080");
        assertThat(row.locale()).isEqualTo("de-DE");
        assertThat(row.visitorId()).isNotBlank();
        assertThat(row.sessionId()).isNotBlank();
    }

    @Test
    void a_pageview_of_the_version_2_tracker_gets_its_url_from_the_hostname_and_its_title_decoded() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Pageview v2");
        HttpResponse<String> r = site.send("event", "\"hostname\":\"shop.example\",\"screen\":\"390x844\","
                + "\"language\":\"en-US\",\"title\":\"Caf%C3%A9%20%26%20100%25\",\"url\":\"/menu?day=mon\","
                + "\"referrer\":\"\"");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        UmamiFixture.Row row = single(site.rows());
        assertThat(row.type()).isEqualTo("screen_view");
        assertThat(row.properties().get("url").asText()).isEqualTo("https://shop.example/menu?day=mon");
        assertThat(row.properties().get("path").asText()).isEqualTo("/menu");
        assertThat(row.properties().get("title").asText()).isEqualTo("Café & 100%");
        assertThat(row.properties().has("referrer")).isFalse();
    }

    @Test
    void a_named_event_is_custom_with_its_data_and_page_and_the_identified_user() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Named");
        HttpResponse<String> r = site.send("event", "\"hostname\":\"shop.example\",\"url\":\"/pricing\","
                + "\"name\":\"Signup clicked\",\"data\":{\"plan\":\"pro\",\"seats\":3},\"id\":\"customer-42\"");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        UmamiFixture.Row row = single(site.rows());
        assertThat(row.type()).isEqualTo("custom");
        assertThat(row.name()).isEqualTo("Signup clicked");
        assertThat(row.properties().get("plan").asText()).isEqualTo("pro");
        assertThat(row.properties().get("seats").asInt()).isEqualTo(3);
        assertThat(row.properties().get("url").asText()).isEqualTo("https://shop.example/pricing");
        assertThat(row.properties().get("path").asText()).isEqualTo("/pricing");
        assertThat(row.userId()).isEqualTo("customer-42");
        assertThat(row.visitorId()).isNotBlank();
    }

    @Test
    void a_name_of_an_ar_type_or_one_the_app_maps_becomes_that_type() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Typed");
        assertThat(site.send("event", "\"name\":\"qr_scan\",\"data\":{\"qr_code_id\":\"poster-7\"}").statusCode())
                .isEqualTo(200);
        assertThat(site.send("event", "\"name\":\"Product Placed\",\"data\":{\"object_id\":\"chair\"}").statusCode())
                .isEqualTo(200);

        List<UmamiFixture.Row> rows = site.rows();
        assertThat(rows).extracting(UmamiFixture.Row::type).containsExactlyInAnyOrder("qr_scan", "placement");
        assertThat(rows).filteredOn(row -> row.type().equals("placement")).singleElement()
                .satisfies(row -> assertThat(row.properties().get("object_id").asText()).isEqualTo("chair"));
    }

    @Test
    void a_named_event_takes_its_time_from_the_payloads_timestamp_in_seconds() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Timestamp");
        Instant at = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        assertThat(site.send("event", "\"name\":\"late\",\"timestamp\":" + at.getEpochSecond()).statusCode())
                .isEqualTo(200);
        assertThat(single(site.rows()).occurredAt()).isEqualTo(at);
    }

    @Test
    void identify_is_answered_like_umami_and_stores_nothing() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Identify");
        HttpResponse<String> r = site.send("identify", "\"hostname\":\"shop.example\",\"url\":\"/\","
                + "\"id\":\"customer-42\",\"data\":{\"email\":\"someone@example.com\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("cache").asText()).isNotBlank();
        assertThat(site.rows()).isEmpty();
    }

    @Test
    void a_batch_stores_its_valid_messages_and_lists_each_bad_one_with_its_umami_field() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Batch");
        String batch = "[" + site.message("event", "\"name\":\"first\"")
                + "," + site.message("event", "\"name\":\"bad data\",\"data\":{\"note\":\"" + "x".repeat(1001) + "\"}")
                + "," + "{\"type\":\"event\",\"payload\":{\"website\":\"" + UUID.randomUUID() + "\",\"name\":\"x\"}}"
                + "," + site.message("event", "\"name\":\"third\",\"data\":\"not an object\"")
                + "," + site.message("identify", "\"id\":\"customer-42\"")
                + "," + site.message("event", "\"name\":\"last\"") + "]";
        HttpResponse<String> r = site.post("/api/batch", batch);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("size").asInt()).isEqualTo(6);
        assertThat(body.get("processed").asInt()).isEqualTo(3);
        assertThat(body.get("errors").asInt()).isEqualTo(3);
        assertThat(body.get("cache").asText()).isNotBlank();
        JsonNode details = body.get("details");
        assertThat(details.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(details.get(0).at("/response/error/code").asText()).isEqualTo("too_long");
        assertThat(details.get(0).at("/response/error/field").asText()).isEqualTo("payload.data.note");
        assertThat(details.get(1).get("index").asInt()).isEqualTo(2);
        assertThat(details.get(1).at("/response/error/code").asText()).isEqualTo("unknown_website");
        assertThat(details.get(1).at("/response/error/field").asText()).isEqualTo("payload.website");
        assertThat(details.get(2).get("index").asInt()).isEqualTo(3);
        assertThat(details.get(2).at("/response/error/field").asText()).isEqualTo("payload.data");
        assertThat(site.rows()).extracting(UmamiFixture.Row::name).containsExactlyInAnyOrder("first", "last");
    }

    @Test
    void an_unknown_website_is_a_400_naming_payload_website_as_umami_answers_it() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Unknown");
        HttpResponse<String> r = site.post("/api/send", "{\"type\":\"event\",\"payload\":{\"website\":\""
                + UUID.randomUUID() + "\",\"url\":\"/\"}}");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("unknown_website");
        assertThat(error.get("field").asText()).isEqualTo("payload.website");
        assertThat(error.get("message").asText()).contains("umami_website_id");
    }

    @Test
    void malformed_messages_are_400s_naming_what_to_fix() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Malformed");
        assertError(site.post("/api/send", "{\"type\":\"event\",\"payload\":"), 400, "malformed_json", null);
        assertError(site.post("/api/send", "{\"type\":\"pageview\",\"payload\":{}}"), 400, "invalid_value", "type");
        assertError(site.post("/api/send", "{\"type\":\"event\"}"), 400, "missing_field", "payload");
        assertError(site.post("/api/send", "{\"type\":\"event\",\"payload\":{\"url\":\"/\"}}"), 400, "missing_field",
                "payload.website");
        assertError(site.post("/api/send", "{\"type\":\"event\",\"payload\":{\"website\":\"1-2-3-4-5\"}}"), 400,
                "invalid_value", "payload.website");
        assertError(site.send("event", "\"name\":\"x\",\"title\":7"), 400, "invalid_type", "payload.title");
        assertError(site.send("event", "\"name\":\"" + "n".repeat(101) + "\""), 400, "too_long", "payload.name");
        assertError(site.send("event", "\"name\":\"x\",\"language\":\"en US\""), 400, "invalid_value",
                "payload.language");
        assertError(site.post("/api/batch", "{\"events\":[]}"), 400, "invalid_type", null);
        assertThat(site.rows()).isEmpty();
    }

    @Test
    void bodies_over_the_native_limits_are_413() throws Exception {
        UmamiFixture site = UmamiFixture.app(server, "Oversized");
        String big = site.message("event", "\"name\":\"big\",\"data\":{\"blob\":\"" + "x".repeat(40 * 1024) + "\"}");
        assertError(site.post("/api/send", big), 413, "body_too_large", null);
        assertThat(site.rows()).isEmpty();
    }

    @Test
    void browsers_on_any_site_may_post_after_a_preflight_and_read_every_answer() throws Exception {
        int port = server.uri("/").getPort();
        RawHttp.Answer preflight = RawHttp.exchange(port, "OPTIONS /api/send HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Origin: https://shop.example\r\nAccess-Control-Request-Method: POST\r\n"
                + "Access-Control-Request-Headers: content-type,x-umami-cache\r\nConnection: close\r\n\r\n");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers().get("access-control-allow-origin")).isEqualTo("*");
        assertThat(preflight.headers().get("access-control-allow-methods")).isEqualTo("POST");
        assertThat(preflight.headers().get("access-control-allow-headers").toLowerCase())
                .contains("content-type").contains("x-umami-cache");
        assertThat(preflight.headers()).doesNotContainKey("access-control-allow-credentials");

        UmamiFixture site = UmamiFixture.app(server, "Cors");
        String body = site.message("event", "\"name\":\"x\"");
        RawHttp.Answer stored = RawHttp.exchange(port, post("/api/batch", "[" + body + "]"));
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.headers().get("access-control-allow-origin")).isEqualTo("*");
        RawHttp.Answer refused = RawHttp.exchange(port, post("/api/send", "{\"type\":\"event\"}"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.headers().get("access-control-allow-origin")).isEqualTo("*");

        RawHttp.Answer nativeRoute = RawHttp.exchange(port, "OPTIONS /api/v1/analytics/track HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nOrigin: https://shop.example\r\nAccess-Control-Request-Method: POST\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(nativeRoute.headers()).doesNotContainKey("access-control-allow-origin");
    }

    /** As for native events: a message whose body is still arriving when the server stops is a 503 to retry. */
    @Test
    void a_message_under_way_when_the_server_stops_is_a_503_with_retry_after() throws Exception {
        TestServer stopping = TestServer.start();
        UmamiFixture site = UmamiFixture.app(stopping, "Stopping");
        byte[] body = site.message("event", "\"name\":\"late\"").getBytes(StandardCharsets.UTF_8);
        Thread closer = new Thread(stopping::close, "closer");
        try (RawHttp http = new RawHttp(stopping.uri("/").getPort())) {
            http.write(("POST /api/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "User-Agent: NeverSeen/" + UUID.randomUUID() + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            http.write(Arrays.copyOf(body, body.length / 2));
            Thread.sleep(300);
            closer.start();
            Thread.sleep(500);
            http.write(Arrays.copyOfRange(body, body.length / 2, body.length));
            RawHttp.Answer answer = http.answer();
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers()).containsKey("retry-after");
            assertThat(answer.headers().get("access-control-allow-origin")).isEqualTo("*");
        } finally {
            closer.join(30_000);
            stopping.close();
        }
    }

    private static String post(String path, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://shop.example\r\n"
                + "Content-Type: application/json\r\nUser-Agent: " + UmamiFixture.BROWSER + "\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n" + json;
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).as(r.body()).isEqualTo(code);
        if (field == null) {
            assertThat(error.get("field").isNull()).as(r.body()).isTrue();
        } else {
            assertThat(error.get("field").asText()).as(r.body()).isEqualTo(field);
        }
    }

    private static UmamiFixture.Row single(List<UmamiFixture.Row> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
