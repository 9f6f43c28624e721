package io.sightline.destinations;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The deliveries that did not go through at once ({@code destination_deliveries}) and the daily tallies
 * ({@code delivery_counts}), see V16__outbox.sql. The forwarder's writes run in its claim's transaction; the
 * reads and the re-queue serve the admin API.
 */
public final class DeliveryStore {
    /** The table's name, for erasure (PrivacyStore): a subject's pending deliveries go with their events. */
    public static final String TABLE = "destination_deliveries";
    /** One delivery as the API lists it. The error is the platform's own message, never a credential. */
    public record Row(UUID eventId, Instant occurredAt, DeliveryStatus status, int attempts, Instant nextAttemptAt,
                      Instant queuedAt, Instant updatedAt, String lastError) {}

    /** What one pass did, to be added to the day's tallies. */
    static final class Tally {
        long delivered;
        long retried;
        long failed;
        long dead;
        long expired;
        long skipped;

        boolean isEmpty() {
            return delivered + retried + failed + dead + expired + skipped == 0;
        }
    }

    private static final String INSERT = "INSERT INTO destination_deliveries (destination_id, event_id, outbox_id,"
            + " app_id, occurred_at, visitor_id, user_id, status, attempts, next_attempt_at, queued_at, updated_at,"
            + " last_error, client_data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (destination_id, event_id) DO UPDATE SET status = EXCLUDED.status,"
            + " client_data = EXCLUDED.client_data,"
            + " attempts = EXCLUDED.attempts, next_attempt_at = EXCLUDED.next_attempt_at,"
            + " updated_at = EXCLUDED.updated_at, last_error = EXCLUDED.last_error";
    private static final String DELETE = "DELETE FROM destination_deliveries WHERE destination_id = ? AND event_id = ?";
    private static final String EXPIRE = "UPDATE destination_deliveries SET status = 'expired', updated_at = ?,"
            + " last_error = ? WHERE destination_id = ? AND status = 'pending' AND occurred_at < ?";
    private static final String COUNT = "INSERT INTO delivery_counts AS t (destination_id, day, delivered, retried,"
            + " failed, dead, expired, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (destination_id, day) DO UPDATE"
            + " SET delivered = t.delivered + EXCLUDED.delivered, retried = t.retried + EXCLUDED.retried,"
            + " failed = t.failed + EXCLUDED.failed, dead = t.dead + EXCLUDED.dead,"
            + " expired = t.expired + EXCLUDED.expired, skipped = t.skipped + EXCLUDED.skipped";
    private static final String LIST = "SELECT event_id, occurred_at, status, attempts, next_attempt_at, queued_at,"
            + " updated_at, last_error FROM destination_deliveries WHERE app_id = ? AND destination_id = ?"
            + " AND status = ? ORDER BY updated_at DESC, event_id LIMIT ?";
    private static final String REQUEUE = "UPDATE destination_deliveries SET status = 'pending', attempts = 0,"
            + " next_attempt_at = ?, updated_at = ?, last_error = NULL"
            + " WHERE app_id = ? AND destination_id = ? AND status = ?";
    private static final String PRUNE = "DELETE FROM destination_deliveries WHERE status <> 'pending' AND updated_at < ?";
    private static final String PENDING_OLDEST = "SELECT destination_id, min(queued_at) FROM destination_deliveries"
            + " WHERE status = 'pending' GROUP BY destination_id";

    private static final String COUNTS_SINCE = "SELECT c.destination_id, sum(c.delivered), sum(c.retried),"
            + " sum(c.failed), sum(c.dead), sum(c.expired), sum(c.skipped) FROM delivery_counts c"
            + " JOIN destinations d ON d.id = c.destination_id WHERE d.app_id = ? AND c.day >= ?"
            + " GROUP BY c.destination_id";
    private static final String PENDING_OF_APP = "SELECT destination_id, count(*), min(queued_at)"
            + " FROM destination_deliveries WHERE app_id = ? AND status = 'pending' GROUP BY destination_id";

    /** A destination's tallies over some days ({@code delivery_counts}), for the health route. */
    record Counts(long delivered, long retried, long failed, long dead, long expired, long skipped) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);
    }

    /** How many deliveries of a destination wait, and when the oldest of them was first queued. */
    record Waiting(long count, Instant oldestQueuedAt) {
        Waiting plus(Waiting other) {
            Instant oldest = oldestQueuedAt == null || (other.oldestQueuedAt != null
                    && other.oldestQueuedAt.isBefore(oldestQueuedAt)) ? other.oldestQueuedAt : oldestQueuedAt;
            return new Waiting(count + other.count, oldest);
        }
    }

    private final DataSource dataSource;

    public DeliveryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records (or updates) the state of one delivery; {@code error} is the platform's message or the reason. */
    void record(Connection c, long destinationId, OutboxStore.Claimed row, DeliveryStatus status, int attempts,
                Instant nextAttempt, Instant now, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setLong(1, destinationId);
            ps.setObject(2, row.eventId());
            ps.setLong(3, row.outboxId());
            ps.setLong(4, row.appId());
            ps.setTimestamp(5, Timestamp.from(row.occurredAt()));
            ps.setString(6, row.event() == null ? null : row.event().visitorId());
            ps.setString(7, row.event() == null ? null : row.event().userId());
            ps.setString(8, status.wireName());
            ps.setInt(9, attempts);
            ps.setTimestamp(10, Timestamp.from(nextAttempt));
            ps.setTimestamp(11, Timestamp.from(row.queuedAt()));
            ps.setTimestamp(12, Timestamp.from(now));
            ps.setString(13, error == null ? null : truncate(error));
            // The sealed client data stays only while the delivery is pending; a delivery that ends drops it.
            ps.setBytes(14, status == DeliveryStatus.PENDING ? row.clientData() : null);
            ps.executeUpdate();
        }
    }

    void delete(Connection c, long destinationId, UUID eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setLong(1, destinationId);
            ps.setObject(2, eventId);
            ps.executeUpdate();
        }
    }

    /** Marks the pending deliveries of events that occurred before {@code cutoff} as expired; returns how many. */
    int expire(Connection c, long destinationId, Instant cutoff, Instant now, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EXPIRE)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, reason);
            ps.setLong(3, destinationId);
            ps.setTimestamp(4, Timestamp.from(cutoff));
            return ps.executeUpdate();
        }
    }

    void count(Connection c, long destinationId, Instant now, Tally t) throws SQLException {
        if (t.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(COUNT)) {
            ps.setLong(1, destinationId);
            ps.setObject(2, LocalDate.ofInstant(now, ZoneOffset.UTC));
            ps.setLong(3, t.delivered);
            ps.setLong(4, t.retried);
            ps.setLong(5, t.failed);
            ps.setLong(6, t.dead);
            ps.setLong(7, t.expired);
            ps.setLong(8, t.skipped);
            ps.executeUpdate();
        }
    }

    /** The deliveries of one destination in one state, most recently changed first. */
    public List<Row> list(long appId, long destinationId, DeliveryStatus status, int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setLong(1, appId);
            ps.setLong(2, destinationId);
            ps.setString(3, status.wireName());
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(),
                            DeliveryStatus.fromWire(rs.getString(3)).orElseThrow(), rs.getInt(4),
                            rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(),
                            rs.getTimestamp(7).toInstant(), rs.getString(8)));
                }
            }
        }
        return rows;
    }

    /** Puts the deliveries of one destination in {@code status} back in the queue, due now; returns how many. */
    public int requeue(long appId, long destinationId, DeliveryStatus status, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(REQUEUE)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setLong(3, appId);
            ps.setLong(4, destinationId);
            ps.setString(5, status.wireName());
            return ps.executeUpdate();
        }
    }

    /** Deletes finished rows (dead, expired, skipped) last changed before {@code before}; returns how many. */
    int prune(Instant before) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setTimestamp(1, Timestamp.from(before));
            return ps.executeUpdate();
        }
    }

    /** Per destination id, when its oldest pending delivery was first queued. */
    java.util.Map<Long, Instant> oldestPending() throws SQLException {
        java.util.Map<Long, Instant> oldest = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PENDING_OLDEST);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                oldest.put(rs.getLong(1), rs.getTimestamp(2).toInstant());
            }
        }
        return oldest;
    }

    /** Per destination of the app, the sums of the daily tallies from {@code firstDay} (a UTC day) on. */
    static java.util.Map<Long, Counts> countsSince(Connection c, long appId, LocalDate firstDay) throws SQLException {
        java.util.Map<Long, Counts> counts = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(COUNTS_SINCE)) {
            ps.setLong(1, appId);
            ps.setObject(2, firstDay);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getLong(1), new Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return counts;
    }

    /** Per destination of the app, its pending deliveries (waiting for a retry or the end of a pause). */
    static java.util.Map<Long, Waiting> pending(Connection c, long appId) throws SQLException {
        java.util.Map<Long, Waiting> waiting = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(PENDING_OF_APP)) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waiting.put(rs.getLong(1), new Waiting(rs.getLong(2), rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return waiting;
    }

    private static String truncate(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
