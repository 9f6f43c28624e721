package io.sightline;

import io.sightline.store.EmbeddedDatabase;
import io.sightline.testing.LoadClients;
import io.sightline.testing.RawHttp;
import io.sightline.testing.ServerProcess;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GracefulShutdownTest {

    /**
     * 16 senders of valid /track and /batch requests, SIGTERM in the middle. Every answer must be a 200 or a 503
     * (a 4xx would make an SDK discard valid events; a 500 would misreport stored ones); a refused connection once
     * the listener closed is fine. What a 200 acknowledged is stored exactly once.
     */
    @Test
    void sigterm_under_load_answers_valid_requests_only_200_or_503_and_stores_each_acknowledged_event_once()
            throws Exception {
        sigtermUnderLoad(server -> new LoadClients(server.uri("/"), server.writeKey(), 16));
    }

    /** The same through Segment's /v1/batch, whose messages carry a messageId and no timestamp. */
    @Test
    void sigterm_under_segment_load_answers_only_200_or_503_and_stores_each_acknowledged_message_once()
            throws Exception {
        // The first start creates the default app, id 1, whose write key the clients use.
        sigtermUnderLoad(server -> LoadClients.segment(server.uri("/"), server.writeKey(), 1, 16));
    }

    private interface Clients {
        LoadClients start(ServerProcess server) throws Exception;
    }

    private static void sigtermUnderLoad(Clients load) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sigterm-");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0)) {
            ServerProcess server = new ServerProcess(Map.of("SIGHTLINE_DATABASE_URL", pg.jdbcUrl(),
                    "SIGHTLINE_DATABASE_USER", "postgres", "SIGHTLINE_DATABASE_PASSWORD", pg.password(),
                    "SIGHTLINE_SHUTDOWN_DRAIN", "2s"), dir.resolve("server.log")).start();
            LoadClients clients = load.start(server);
            AtomicInteger notReady = new AtomicInteger();
            Thread probe = new Thread(() -> probeReadiness(server, notReady), "readiness-probe");
            try {
                Thread.sleep(2_000);
                probe.start();
                server.terminate(Duration.ofSeconds(60));
                Thread.sleep(300);
            } finally {
                clients.close();
                probe.join(10_000);
                server.close();
            }
            System.out.println("SIGTERM: " + clients.summary());
            assertThat(server.output()).contains("Stopping: refusing new events", "Stopped");
            assertThat(clients.statuses()).as(clients.summary()).containsOnlyKeys(200, 503);
            assertThat(clients.count(503)).as("new events answered 503 while the listener stayed open")
                    .isPositive();
            assertThat(clients.retryAfterSeen()).as("every 503 carries Retry-After").isEqualTo(clients.count(503));
            assertThat(clients.acknowledged()).as(clients.summary()).hasSizeGreaterThan(100);
            // Probed every 100 ms, a 2 s drain shows readiness 503 about 20 times before the listener closes.
            assertThat(notReady.get()).as("readiness answers 503 while the listener stays open").isGreaterThanOrEqualTo(5);

            Map<UUID, Long> rows = new HashMap<>();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", pg.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT event_id, count(*) FROM analytics_events GROUP BY event_id")) {
                while (rs.next()) {
                    rows.put((UUID) rs.getObject(1), rs.getLong(2));
                }
            }
            assertThat(rows.keySet()).containsAll(clients.acknowledged());
            assertThat(rows.values()).as("rows per event id").containsOnly(1L);
        }
    }

    /**
     * A request whose body is still arriving when stop begins: the listener must not be torn down under it, and the
     * executor that writes answers must still run (a never-seen User-Agent sends the request through it).
     */
    @Test
    void request_under_way_when_stop_begins_is_answered_503_with_retry_after_not_cut_off() throws Exception {
        TestServer server = TestServer.start();
        byte[] event = ("{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"interaction\","
                + "\"properties\":{\"object_id\":\"chair\",\"kind\":\"tap\"}}").getBytes(StandardCharsets.UTF_8);
        Thread closer = new Thread(server::close, "closer");
        try (RawHttp http = new RawHttp(server.uri("/").getPort())) {
            http.write(("POST /api/v1/analytics/track HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "User-Agent: NeverSeen/" + UUID.randomUUID() + "\r\nX-Write-Key: " + server.writeKey()
                    + "\r\nContent-Length: " + event.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            http.write(Arrays.copyOf(event, event.length / 2));
            Thread.sleep(300);
            closer.start();
            Thread.sleep(500);
            http.write(Arrays.copyOfRange(event, event.length / 2, event.length));
            RawHttp.Answer answer = http.answer();
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers()).containsKey("retry-after");
            assertThat(answer.body()).contains("\"shutting_down\"");
        } finally {
            closer.join(30_000);
            server.close();
        }
    }

    @Test
    void start_that_fails_halfway_stops_the_parts_it_had_started() throws Exception {
        List<String> parts = List.of("upkeep", "event-writer-", "ingest-response", "sightline housekeeper");
        long before = threadsNamed(parts);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestServer.start(Map.of("SIGHTLINE_HTTP_PORT", Integer.toString(taken.getLocalPort())),
                    Clock.systemUTC())).isInstanceOf(IllegalStateException.class);
        }
        Thread.sleep(500);
        assertThat(threadsNamed(parts)).as("threads of the writer, the answers, upkeep and the pool").isEqualTo(before);
    }

    private static long threadsNamed(List<String> prefixes) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && prefixes.stream().anyMatch(p -> t.getName().startsWith(p)))
                .count();
    }

    /** Counts 503 answers of /health/ready, every 100 ms, until the server stops answering. */
    private static void probeReadiness(ServerProcess server, AtomicInteger notReady) {
        HttpRequest ready = HttpRequest.newBuilder(server.uri("/health/ready")).timeout(Duration.ofSeconds(2)).build();
        try {
            while (true) {
                if (TestServer.send(ready).statusCode() == 503) {
                    notReady.incrementAndGet();
                }
                Thread.sleep(100);
            }
        } catch (IllegalStateException refused) {
            // the listener closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
