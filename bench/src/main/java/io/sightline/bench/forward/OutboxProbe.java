package io.sightline.bench.forward;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark's read-only look into the server's tables (V16__outbox.sql): how many events are stored, and
 * whether forwarding has anything left to do. A benchmark may read them directly; the server never exposes a
 * count of waiting rows (its lag gauge is refreshed once a minute, too seldom to time a drain).
 */
final class OutboxProbe implements AutoCloseable {
    private final Connection connection;

    OutboxProbe(String jdbcUrl, String user, String password) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl, user, password);
    }

    long storedEvents() throws SQLException {
        return count("SELECT count(*) FROM analytics_events");
    }

    /** Events in outbox rows not yet taken, plus deliveries waiting for a retry. */
    long waiting() throws SQLException {
        return count("SELECT (SELECT coalesce(sum(cardinality(event_ids)), 0) FROM outbox_events)"
                + " + (SELECT count(*) FROM destination_deliveries WHERE status = 'pending')");
    }

    /** Deliveries that ended without reaching their platform: dead, expired, skipped; by status. */
    Map<String, Long> undelivered() throws SQLException {
        Map<String, Long> byStatus = new TreeMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT status, count(*) FROM destination_deliveries"
                     + " WHERE status <> 'pending' GROUP BY status")) {
            while (rs.next()) {
                byStatus.put(rs.getString(1), rs.getLong(2));
            }
        }
        return byStatus;
    }

    /**
     * Waits until nothing is waiting, polling every 50 ms; returns how long that took, or null after
     * {@code timeout}.
     */
    Duration awaitDrained(Duration timeout) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        while (waiting() > 0) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                return null;
            }
            Thread.sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private long count(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
