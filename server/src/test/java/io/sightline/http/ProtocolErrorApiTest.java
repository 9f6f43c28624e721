package io.sightline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.RawHttp;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What Jetty refuses before any route runs, and bodies cut short, answered in the one JSON error shape. */
class ProtocolErrorApiTest {
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

    private static int port() {
        return server.uri("/").getPort();
    }

    private static JsonNode error(RawHttp.Answer answer) throws Exception {
        assertThat(answer.headers().get("content-type")).as(answer.body()).startsWith("application/json");
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertThat(error).as(answer.body()).isNotNull();
        assertThat(error.has("code") && error.has("message") && error.has("field")).as(answer.body()).isTrue();
        return error;
    }

    @Test
    void garbage_request_line_is_a_json_400_not_a_505() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(), "HELLO WORLD AGAIN\r\n\r\n");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(error(answer).get("code").asText()).isEqualTo("bad_request");
    }

    @Test
    void malformed_header_is_a_json_400() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(),
                "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(error(answer).get("code").asText()).isEqualTo("bad_request");
    }

    @Test
    void overlong_uri_is_a_json_414() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(),
                "GET /health/live?x=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(answer.status()).isEqualTo(414);
        assertThat(error(answer).get("code").asText()).isEqualTo("uri_too_long");
    }

    @Test
    void oversized_headers_are_a_json_431() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(),
                "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
        assertThat(answer.status()).isEqualTo(431);
        assertThat(error(answer).get("code").asText()).isEqualTo("headers_too_large");
    }

    @Test
    void unknown_expectation_is_a_json_417_naming_the_expect_header() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(), "POST /api/v1/analytics/track HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Expect: the-moon\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(answer.status()).isEqualTo(417);
        JsonNode error = error(answer);
        assertThat(error.get("code").asText()).isEqualTo("unsupported_expectation");
        assertThat(error.get("field").asText()).isEqualTo("Expect");
    }

    @Test
    void body_cut_short_by_a_dropped_connection_is_a_503_to_retry_not_a_400() throws Exception {
        byte[] event = ("{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"interaction\","
                + "\"properties\":{\"object_id\":\"chair\",\"kind\":\"tap\"}}").getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(port())) {
            http.write(("POST /api/v1/analytics/track HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-Write-Key: " + server.writeKey() + "\r\nContent-Length: " + event.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            http.write(java.util.Arrays.copyOf(event, event.length / 2));
            http.endOutput();
            RawHttp.Answer answer = http.answer();
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers()).containsKey("retry-after");
            assertThat(error(answer).get("code").asText()).isEqualTo("body_interrupted");
        }
    }
}
