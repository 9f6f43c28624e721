package io.sightline;

import io.sightline.store.EmbeddedDatabase;
import io.sightline.testing.LoadClients;
import io.sightline.testing.ServerProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class GracefulShutdownTest {

    @Test
    void sigterm_commits_and_answers_everything_queued_then_exits() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sigterm-");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0)) {
            ServerProcess server = new ServerProcess(Map.of("SIGHTLINE_DATABASE_URL", pg.jdbcUrl(),
                    "SIGHTLINE_DATABASE_USER", "postgres", "SIGHTLINE_DATABASE_PASSWORD", pg.password()), dir.resolve("server.log")).start();
            LoadClients clients = new LoadClients(server.uri("/"), server.writeKey(), 16);
            try {
                Thread.sleep(2_000);
                server.terminate(Duration.ofSeconds(30));
                Thread.sleep(300);
            } finally {
                clients.close();
                server.close();
            }
            System.out.println("SIGTERM: " + clients.summary());
            assertThat(server.output()).contains("Stopping: refusing new events", "Stopped");
            assertThat(clients.acknowledged()).as(clients.summary()).hasSizeGreaterThan(100);
            Set<UUID> stored = new HashSet<>();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", pg.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT event_id FROM analytics_events")) {
                while (rs.next()) {
                    stored.add((UUID) rs.getObject(1));
                }
            }
            assertThat(stored).containsAll(clients.acknowledged());
        }
    }
}
