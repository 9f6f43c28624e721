package io.sightline;

import io.sightline.store.EmbeddedDatabase;
import io.sightline.testing.LoadClients;
import io.sightline.testing.ServerProcess;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a 2xx means, tested the hard way: the server runs as its own process against its own PostgreSQL, many
 * clients send events with known ids, and the server or the database is killed under them.
 */
class CrashDurabilityTest {

    @Test
    void every_event_acknowledged_before_a_kill_9_is_stored_exactly_once() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0);
             ServerProcess server = new ServerProcess(env(pg), dir.resolve("server.log")).start()) {
            LoadClients clients = new LoadClients(server.uri("/"), server.writeKey(), 16);
            try {
                Thread.sleep(3_000);
                long ackedBeforeKill = clients.acknowledged().size();
                server.kill();
                Thread.sleep(500);
                server.start();
                Thread.sleep(3_000);
                clients.close();
                assertThat(ackedBeforeKill).as(clients.summary()).isGreaterThan(500);
                assertThat(clients.connectionErrors()).as("requests were in flight at the kill").isPositive();
            } finally {
                clients.close();
            }
            System.out.println("kill -9: " + clients.summary());
            assertStoredExactlyOnce(pg, clients.acknowledged());
        }
    }

    @Test
    void unanswered_requests_without_occurred_at_retried_after_a_kill_9_are_stored_exactly_once() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-retry-");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0);
             ServerProcess server = new ServerProcess(env(pg), dir.resolve("server.log")).start()) {
            // No occurred_at: each copy that reaches the server gets its own server time, as a real SDK's retry would.
            LoadClients clients = new LoadClients(server.uri("/"), server.writeKey(), 16, false);
            int retried;
            try {
                Thread.sleep(3_000);
                server.kill();
                Thread.sleep(500);
                server.start();
                Thread.sleep(2_000);
                clients.close();
                retried = clients.retryUnanswered(Duration.ofSeconds(60));
            } finally {
                clients.close();
            }
            System.out.println("kill -9, then " + retried + " unanswered requests retried: " + clients.summary());
            assertThat(retried).as("requests were in flight at the kill").isPositive();
            assertStoredExactlyOnce(pg, clients.acknowledged());
        }
    }

    @Test
    void answers_503_while_postgresql_is_down_and_recovers_without_a_restart() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pgrestart-");
        int port = freePort();
        EmbeddedDatabase pg = EmbeddedDatabase.start(dir, port);
        try (ServerProcess server = new ServerProcess(env(pg), dir.resolve("server.log")).start()) {
            LoadClients clients = new LoadClients(server.uri("/"), server.writeKey(), 16);
            try {
                Thread.sleep(2_000);
                long ackedBefore = clients.acknowledged().size();
                pg.close();
                clients.resetSlowest();
                long okBeforeOutage = clients.count(200);
                Thread.sleep(4_000);
                assertThat(clients.count(503)).as(clients.summary()).isPositive();
                assertThat(clients.retryAfterSeen()).isPositive();
                assertThat(clients.slowestMillis()).as("no request hangs while the database is down").isLessThan(8_000);
                assertThat(clients.count(200) - okBeforeOutage).as("acks during the outage").isLessThan(200);
                // Credentials that are not cached need the database too: still a 503, never a 500.
                assertThat(status(server, "/api/v1/analytics/track", "X-Write-Key", "wk_not_cached_anywhere")).isEqualTo(503);
                assertThat(status(server, "/api/v1/apps", "Authorization", "Bearer " + server.adminToken())).isEqualTo(503);

                pg = EmbeddedDatabase.start(dir, port);
                awaitAccepting(server, Duration.ofSeconds(30));
                int ackedAfterRecovery = clients.acknowledged().size();
                Thread.sleep(2_000);
                assertThat(ackedBefore).isGreaterThan(100);
                assertThat(clients.acknowledged().size()).as(clients.summary()).isGreaterThan(ackedAfterRecovery);
                assertThat(server.isAlive()).isTrue();
            } finally {
                clients.close();
            }
            System.out.println("PostgreSQL restart: " + clients.summary());
            assertStoredExactlyOnce(pg, clients.acknowledged());
        } finally {
            pg.close();
        }
    }

    private static int status(ServerProcess server, String path, String header, String value) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10)).header(header, value);
        b = path.startsWith("/api/v1/analytics")
                ? b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"screenshot\"}"))
                : b.GET();
        return TestServer.send(b.build()).statusCode();
    }

    private static Map<String, String> env(EmbeddedDatabase pg) {
        Map<String, String> env = new HashMap<>();
        env.put("SIGHTLINE_DATABASE_URL", pg.jdbcUrl());
        env.put("SIGHTLINE_DATABASE_USER", "postgres");
        env.put("SIGHTLINE_DATABASE_PASSWORD", pg.password());
        env.put("SIGHTLINE_ACK_TIMEOUT", "5s");
        return env;
    }

    private static void assertStoredExactlyOnce(EmbeddedDatabase pg, Set<UUID> acknowledged) throws Exception {
        Map<UUID, Long> stored = new HashMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id, count(*) FROM analytics_events GROUP BY event_id")) {
            while (rs.next()) {
                stored.put((UUID) rs.getObject(1), rs.getLong(2));
            }
        }
        long missing = acknowledged.stream().filter(id -> !stored.containsKey(id)).count();
        long duplicated = stored.values().stream().filter(n -> n > 1).count();
        assertThat(missing).as("acknowledged but not stored, of " + acknowledged.size()).isZero();
        assertThat(duplicated).as("stored more than once").isZero();
    }

    private static void awaitAccepting(ServerProcess server, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(server.uri("/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build());
            if (r.statusCode() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not recover within " + timeout);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
