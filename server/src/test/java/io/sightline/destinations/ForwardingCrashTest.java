package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.ServerProcess;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.sightline.destinations.Forwarding.await;
import static io.sightline.destinations.Forwarding.conversion;
import static io.sightline.destinations.Forwarding.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL of the server process while Meta holds a delivery request open, then a restart on the same database:
 * the outbox rows of the interrupted pass were never deleted (their transaction died with the process), so every
 * acknowledged conversion is delivered, and the re-sent ones carry the same event_id for Meta to drop.
 */
class ForwardingCrashTest {
    @Test
    void after_a_kill_during_a_delivery_every_acknowledged_conversion_is_delivered_with_its_event_id(
            @TempDir Path dir) throws Exception {
        Forwarding.captureLog();
        try (PlatformStub meta = new PlatformStub(PlatformStub.meta(Forwarding.SECRETS))) {
            Map<String, String> env = Forwarding.env(meta, "SIGHTLINE_DATABASE_URL", TestDatabase.createDatabase(),
                    "SIGHTLINE_DATABASE_USER", "postgres",
                    "SIGHTLINE_DATABASE_PASSWORD", TestDatabase.server().password(),
                    "SIGHTLINE_FORWARD_TIMEOUT", "60s");
            Path log = dir.resolve("server.log");
            List<String> acknowledged = new CopyOnWriteArrayList<>();
            String token = Forwarding.secret("EAAG");
            String writeKey;
            String adminToken;
            long started = System.nanoTime();
            try (ServerProcess first = new ServerProcess(env, log).start()) {
                writeKey = first.writeKey();
                adminToken = first.adminToken();
                HttpResponse<String> created = send(first, adminToken, "POST", "/api/v1/apps/1/destinations",
                        "{\"type\":\"meta\",\"name\":\"Meta\",\"config\":{\"pixel_id\":\"" + Forwarding.PIXEL
                                + "\",\"access_token\":\"" + token + "\"}}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                Forwarding.assertNoSecret(created.body());
                meta.hold();
                for (int i = 0; i < 10; i++) {
                    track(first, writeKey, acknowledged, i);
                }
                await(Duration.ofSeconds(10), "a delivery request is open", () -> meta.held() >= 1);
                // More conversions while that request hangs: the dispatcher holds their outbox rows too.
                for (int i = 10; i < 20; i++) {
                    track(first, writeKey, acknowledged, i);
                }
                first.kill();
            }
            List<String> inHeldRequest = meta.hits().stream().flatMap(h -> h.eventIds().stream()).toList();
            // Meta got the held request: it processes it although the sender is gone.
            meta.release();
            await(Duration.ofSeconds(5), "the held request is answered", () -> !meta.accepted().isEmpty());
            try (ServerProcess second = new ServerProcess(env, log).start()) {
                await(Duration.ofSeconds(30), "every acknowledged conversion is delivered after the restart",
                        () -> meta.accepted().keySet().containsAll(acknowledged));
                Thread.sleep(1000);
                Forwarding.assertNoSecret(second.output());
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            System.out.printf("crash: %d acknowledged, %d in the held request, %d re-sent copies accepted again,"
                    + " %d requests, %d s%n", acknowledged.size(), inHeldRequest.size(), meta.duplicates(),
                    meta.hits().size(), seconds);
            assertThat(acknowledged).hasSize(20);
            assertThat(inHeldRequest).isNotEmpty();
            for (String id : acknowledged) {
                // Copies that got a 2xx: Meta keeps the first and drops the re-sent one by its event_id.
                assertThat(meta.accepted().get(id)).as("copies of " + id + " answered 2xx")
                        .isEqualTo(inHeldRequest.contains(id) ? 2 : 1);
            }
            List<String> sentAgain = meta.hits().stream().skip(1).flatMap(h -> h.eventIds().stream())
                    .filter(inHeldRequest::contains).toList();
            assertThat(sentAgain).as("the held request's events are sent again, with the same event_id")
                    .containsExactlyInAnyOrderElementsOf(inHeldRequest);
            assertThat(meta.duplicates()).isEqualTo(inHeldRequest.size());
            Forwarding.assertNoSecret(Forwarding.log());
        }
    }

    private static void track(ServerProcess server, String writeKey, List<String> acknowledged, int i)
            throws Exception {
        HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(server.uri("/api/v1/analytics/track"))
                .header("Content-Type", "application/json").header("X-Write-Key", writeKey)
                .POST(HttpRequest.BodyPublishers.ofString(conversion(newId(), 1.0 + i, true, "v-k" + i))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = PlatformStub.JSON.readTree(r.body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        acknowledged.add(answer.get("event_id").asText());
    }

    private static HttpResponse<String> send(ServerProcess server, String adminToken, String method, String path,
                                             String json) {
        return TestServer.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
