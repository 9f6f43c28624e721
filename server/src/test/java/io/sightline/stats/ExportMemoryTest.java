package io.sightline.stats;

import io.sightline.testing.ServerProcess;
import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The export holds no more than a block of rows in memory, whatever the range holds. */
class ExportMemoryTest {
    private static final int ROWS = 200_000;
    private static final String HEAP = "-Xmx64m";

    @Test
    void exports_200000_rows_totalling_several_times_the_heap_from_a_server_with_a_64_mb_heap(@TempDir Path dir)
            throws Exception {
        String url = TestDatabase.createDatabase();
        Map<String, String> env = Map.of(
                "SIGHTLINE_DATABASE_URL", url,
                "SIGHTLINE_DATABASE_USER", "postgres",
                "SIGHTLINE_DATABASE_PASSWORD", TestDatabase.server().password(),
                "SIGHTLINE_DEVICE_DETECTION", "false");
        try (ServerProcess server = new ServerProcess(env, dir.resolve("server.log"), List.of(HEAP)).start()) {
            try (Connection c = TestDatabase.connect(url); Statement s = c.createStatement()) {
                // ~1 KB a row: 200,000 rows are about three times the server's whole heap.
                s.execute("""
                        INSERT INTO analytics_events (app_id, event_id, event_type, occurred_at, received_at, visitor_id,
                                                      country, properties)
                        SELECT 1, gen_random_uuid(), 'qr_scan', now() - g * interval '5 ms', now(), 'v' || g, 'DE',
                               jsonb_build_object('qr_code_id', 'poster-' || g, 'note', repeat('x, "y"', 130))
                        FROM generate_series(1, %d) g""".formatted(ROWS));
            }
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.uri("/api/v1/apps/1/events/export?format=csv&filter=country:eq:DE"
                                    + "&from=" + Instant.now().minus(Duration.ofDays(1)) + "&to=" + Instant.now().plusSeconds(60)))
                            .header("Authorization", "Bearer " + server.adminToken())
                            .timeout(Duration.ofMinutes(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).as(() -> errorBody(response)).isEqualTo(200);
            long bytes = 0;
            long lines = 0;
            try (InputStream in = response.body()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
            assertThat(lines).as("a header and every row").isEqualTo(ROWS + 1);
            assertThat(bytes).as("the export is larger than the heap").isGreaterThan(3L * 64 * 1024 * 1024);
            assertThat(server.output()).doesNotContain("OutOfMemoryError");
            assertThat(server.isAlive()).isTrue();
        }
    }

    private static String errorBody(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(2000), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
