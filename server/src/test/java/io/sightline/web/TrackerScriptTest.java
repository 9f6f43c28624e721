package io.sightline.web;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17's budget for the web tracker, {@code tracker-js/sightline.js}: at most 3 KB gzipped, as written and as
 * served; and how {@code GET /sightline.js} serves it to other sites' pages.
 */
class TrackerScriptTest {
    private static final int BUDGET_BYTES = 3 * 1024;
    private static final Path SOURCE = Path.of("../tracker-js/sightline.js");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
    void the_tracker_is_at_most_3_kb_gzipped() throws Exception {
        byte[] source = Files.readAllBytes(SOURCE);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(gzipped)) {
            gz.write(source);
        }
        HttpResponse<byte[]> served = get("gzip", null);
        System.out.printf("web tracker: %,d bytes, %,d gzipped, %,d gzipped as served (budget %,d)%n", source.length,
                gzipped.size(), served.body().length, BUDGET_BYTES);
        assertThat(gzipped.size()).isLessThanOrEqualTo(BUDGET_BYTES);
        assertThat(served.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(served.body().length).isLessThanOrEqualTo(BUDGET_BYTES);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(served.body()))) {
            assertThat(in.readAllBytes()).as("the build serves the current tracker-js/sightline.js").isEqualTo(source);
        }
    }

    @Test
    void is_served_to_any_site_with_an_hours_cache_and_revalidated_by_its_etag() {
        HttpResponse<byte[]> plain = get(null, null);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
        // A <script> from another site: readable by CORS (no credentials) and loadable by a COEP page.
        assertThat(plain.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(plain.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(plain.headers().firstValue("Cross-Origin-Resource-Policy")).contains("cross-origin");
        assertThat(plain.headers().firstValue("X-Content-Type-Options")).contains("nosniff");

        String etag = plain.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = get("gzip", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("gzip", "\"older\"").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<byte[]> get(String acceptEncoding, String ifNoneMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/sightline.js"));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
