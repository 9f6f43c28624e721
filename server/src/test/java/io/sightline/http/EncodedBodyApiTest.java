package io.sightline.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body reader sizes its buffer from Content-Length (or, inflating, from a guess) and grows past it: bodies of
 * every length around those sizes, declared or chunked, plain or gzipped, arrive whole, and the limit holds either way.
 */
class EncodedBodyApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 500 * 1024; // Segment's batch limit
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
    void reads_declared_and_chunked_bodies_whole_at_every_size_up_to_the_limit() throws Exception {
        for (int size : new int[] {200, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 40_000, LIMIT}) {
            for (boolean chunked : new boolean[] {false, true}) {
                for (boolean gzip : new boolean[] {false, true}) {
                    String visitor = "v-" + UUID.randomUUID();
                    byte[] body = batchOfExactly(size, visitor);
                    HttpResponse<String> r = send(gzip ? gzip(body) : body, chunked, gzip);
                    String label = size + " bytes, chunked " + chunked + ", gzip " + gzip;
                    assertThat(r.statusCode()).as(label + ": " + r.body()).isEqualTo(200);
                    assertThat(storedPadding(visitor)).as(label).isEqualTo(padding(size));
                }
            }
        }
    }

    @Test
    void refuses_one_byte_over_the_limit_declared_chunked_or_inflated() throws Exception {
        byte[] body = batchOfExactly(LIMIT + 1, "v-over");
        for (boolean chunked : new boolean[] {false, true}) {
            for (boolean gzip : new boolean[] {false, true}) {
                HttpResponse<String> r = send(gzip ? gzip(body) : body, chunked, gzip);
                assertThat(r.statusCode()).as("chunked " + chunked + ", gzip " + gzip).isEqualTo(413);
                assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("body_too_large");
            }
        }
    }

    /**
     * A Segment batch of exactly {@code size} bytes: messages padded in a property of at most 900 characters (a
     * property string may hold 1,000); the last message's padding takes up the rest.
     */
    private static byte[] batchOfExactly(int size, String visitor) {
        String head = "{\"type\":\"track\",\"event\":\"Sized\",\"anonymousId\":\"" + visitor + "\",\"properties\":{\"pad\":\"";
        String tail = "\"}}";
        StringBuilder body = new StringBuilder("{\"batch\":[");
        int room = size - body.length() - "]}".length();
        while (true) {
            int overhead = head.length() + tail.length() + (body.length() > "{\"batch\":[".length() ? 1 : 0);
            int pad = Math.min(900, room - overhead);
            if (body.length() > "{\"batch\":[".length()) {
                body.append(',');
            }
            body.append(head).append("x".repeat(pad)).append(tail);
            room -= overhead + pad;
            if (room <= 0) {
                break;
            }
        }
        byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).hasSize(size);
        return bytes;
    }

    /** All padding characters of a batch of {@code size} bytes (what must be stored, summed over its messages). */
    private static int padding(int size) {
        String text = new String(batchOfExactly(size, "v-" + UUID.randomUUID()), StandardCharsets.UTF_8);
        return (int) text.chars().filter(c -> c == 'x').count();
    }

    private static HttpResponse<String> send(byte[] body, boolean chunked, boolean gzip) {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/v1/batch")).POST(publisher)
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (server.writeKey() + ":").getBytes(StandardCharsets.UTF_8)));
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        return TestServer.send(request.build());
    }

    private static int storedPadding(String visitor) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(sum(length(properties->>'pad')), -1) FROM analytics_events WHERE visitor_id = ?")) {
            ps.setString(1, visitor);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
