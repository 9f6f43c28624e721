package io.sightline.testing;

import io.sightline.store.EmbeddedDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (the embedded one, started once, stopped at JVM exit) and a fresh, empty
 * database for each caller of {@link #createDatabase()}.
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedDatabase server;
    private static Path directory;

    private TestDatabase() {
    }

    public static synchronized EmbeddedDatabase server() {
        if (server == null) {
            try {
                directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "test-pg-");
                server = EmbeddedDatabase.start(directory, 0);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // the JVM is going away
                }
            }));
        }
        return server;
    }

    /** The data directory of the shared test PostgreSQL. */
    public static synchronized Path directory() {
        server();
        return directory;
    }

    /** Creates an empty database and returns its JDBC URL (user "postgres", password {@code server().password()}). */
    public static String createDatabase() {
        EmbeddedDatabase pg = server();
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database", e);
        }
        return "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + name;
    }

    public static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", server().password());
    }
}
