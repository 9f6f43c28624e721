package io.sightline.sdk;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Outages between the SDK and the real server: every retry carries the same event ids, and each is stored once. */
class RetryAgainstServerTest {
    private static TestServer server;

    /** Each test has its own folder, so its own visitor id: it reads only its own events. */
    @TempDir
    File storage;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private List<Map<String, Object>> stored() throws Exception {
        return ServerEvents.ofStorage(server, storage);
    }

    @Test
    void a_503_phase_is_retried_with_the_same_ids_and_a_batch_whose_answer_was_lost_is_stored_once() throws Exception {
        // 1st try: refused before the server saw it; 2nd: stored, but the answer is lost; then the server answers.
        List<TestProxy.Action> script = List.of(TestProxy.Action.REFUSE_503, TestProxy.Action.FORWARD_THEN_503);
        try (TestProxy proxy = new TestProxy(server.uri(""),
                n -> n < script.size() ? script.get(n) : TestProxy.Action.FORWARD)) {
            // Plain JSON, so that the server really stores the batch whose answer is lost, whether it reads gzip or not.
            try (Sightline sdk = Sightline.builder(server.writeKey(), proxy.uri()).storage(storage).gzip(false)
                    .maxBatch(50).flushInterval(Duration.ofSeconds(30)) // one batch of all 20, sent by flush()
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build()) {
                for (int i = 0; i < 20; i++) {
                    sdk.custom("retried", Map.of("seq", i));
                }
                assertThat(sdk.awaitWritten(Duration.ofSeconds(10))).isTrue();
                assertThat(sdk.flush(Duration.ofSeconds(30))).isTrue();
                assertThat(sdk.sentEvents()).isEqualTo(20);
            }
            List<List<String>> requests = proxy.requests();
            assertThat(requests.size()).isGreaterThanOrEqualTo(3);
            List<Long> at = proxy.arrivals();
            for (int i = 1; i <= 2; i++) {
                assertThat(Duration.ofNanos(at.get(i) - at.get(i - 1)))
                        .as("a retry waits for Retry-After: 1, however short the backoff")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
            }
            Set<String> firstIds = new HashSet<>(requests.get(0));
            assertThat(firstIds).hasSize(20);
            assertThat(requests).allSatisfy(ids -> assertThat(new HashSet<>(ids)).isEqualTo(firstIds));

            List<Map<String, Object>> rows = stored();
            assertThat(rows).hasSize(20);
            assertThat(rows.stream().map(r -> (String) r.get("event_id")).collect(Collectors.toSet())).isEqualTo(firstIds);
        }
    }

    @Test
    void events_queued_while_the_server_is_unreachable_are_sent_by_the_next_client_on_the_folder() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens here once the socket is closed
        }
        try (Sightline offline = Sightline.builder(server.writeKey(), URI.create("http://127.0.0.1:" + closedPort))
                .storage(storage).flushInterval(Duration.ofMillis(50)).closeTimeout(Duration.ofMillis(300))
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(100)).build()) {
            for (int i = 0; i < 30; i++) {
                offline.custom("offline", Map.of("seq", i));
            }
            assertThat(offline.flush(Duration.ofMillis(500))).as("no server to take them").isFalse();
            assertThat(offline.queuedEvents()).isEqualTo(30);
        }
        try (Sightline online = Sightline.builder(server.writeKey(), server.uri("")).storage(storage)
                .flushInterval(Duration.ofMillis(50)).build()) {
            assertThat(online.flush(Duration.ofSeconds(20))).isTrue();
        }
        List<Map<String, Object>> rows = stored();
        assertThat(rows).hasSize(30);
        assertThat(rows.stream().map(r -> r.get("seq")).collect(Collectors.toSet())).hasSize(30);
    }
}
