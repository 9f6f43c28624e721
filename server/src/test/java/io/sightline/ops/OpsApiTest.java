package io.sightline.ops;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OpsApiTest {

    @Test
    void reports_live_and_ready_and_turns_not_ready_when_stopping() {
        TestServer server = TestServer.start();
        try {
            assertThat(server.get("/health/live", Map.of()).statusCode()).isEqualTo(200);
            HttpResponse<String> ready = server.get("/health/ready", Map.of());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"database\":true", "\"queue\":true", "\"accepting\":true");
        } finally {
            server.close();
        }
    }

    @Test
    void exposes_prometheus_metrics_to_the_admin_or_metrics_token_only() {
        try (TestServer server = TestServer.start(Map.of("SIGHTLINE_METRICS_TOKEN", "scrape-secret-123"), Clock.systemUTC())) {
            server.ingest("/api/v1/analytics/batch", "{\"events\":[{\"type\":\"screenshot\"},{\"type\":\"nope\"}]}");
            assertThat(server.get("/metrics", Map.of()).statusCode()).isEqualTo(401);
            assertThat(server.get("/metrics", Map.of("Authorization", "Bearer " + server.writeKey())).statusCode()).isEqualTo(401);
            HttpResponse<String> scrape = server.get("/metrics", Map.of("Authorization", "Bearer scrape-secret-123"));
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains(
                    "sightline_events_accepted_total 1.0",
                    "sightline_events_rejected_total{reason=\"unknown_event_type\"} 1.0",
                    "sightline_queue_depth_events",
                    "sightline_writer_batch_events_bucket",
                    "sightline_writer_commit_seconds_bucket");
            assertThat(server.get("/metrics", Map.of("Authorization", "Bearer " + server.adminToken())).statusCode()).isEqualTo(200);
        }
    }
}
