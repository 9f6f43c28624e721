package io.sightline.destinations;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Claims work for the forwarder (V16__outbox.sql): new events from {@code outbox_events}, and deliveries due for a
 * retry from {@code destination_deliveries}, each with its event read back from {@code analytics_events}. Claims
 * lock their rows {@code FOR UPDATE SKIP LOCKED} inside the caller's transaction, so two instances never hold the
 * same row, and a crash before the commit hands the rows back.
 */
final class OutboxStore {
    /** One claimed row; {@code event} is null when the event is gone (erased, or past retention). */
    record Claimed(long outboxId, UUID eventId, long appId, Instant occurredAt, int attempts, Instant queuedAt,
                   StoredEvent event, byte[] clientData) {}

    /** Outbox rows, two at a time (one holds up to a commit's events), until a pass has enough events. */
    private static final String CLAIM_ROWS = "SELECT id, app_id, event_ids, occurred_ats, client_data, queued_at"
            + " FROM outbox_events WHERE id > ? ORDER BY id LIMIT 2 FOR UPDATE SKIP LOCKED";
    /** The claimed rows' events, in the rows' order; an erased or expired event comes back without its columns. */
    private static final String READ_EVENTS = "SELECT o.n, " + EventColumns.SELECT
            + " FROM unnest(?::bigint[], ?::uuid[], ?::text[]) WITH ORDINALITY AS o(app_id, event_id, occurred_at, n)"
            + " LEFT JOIN analytics_events e ON e.app_id = o.app_id AND e.occurred_at = o.occurred_at::timestamptz"
            + " AND e.event_id = o.event_id ORDER BY o.n";
    private static final String DELETE_NEW = "DELETE FROM outbox_events WHERE id = ANY (?)";
    private static final String CLAIM_DUE = "SELECT d.outbox_id, d.event_id, d.app_id, d.occurred_at, d.queued_at,"
            + " d.attempts, d.client_data, " + EventColumns.SELECT
            + " FROM (SELECT outbox_id, event_id, app_id, occurred_at, queued_at, attempts, next_attempt_at, client_data"
            + " FROM destination_deliveries WHERE destination_id = ? AND status = 'pending' AND next_attempt_at <= ?"
            + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) d"
            + " LEFT JOIN analytics_events e ON e.app_id = d.app_id AND e.occurred_at = d.occurred_at"
            + " AND e.event_id = d.event_id ORDER BY d.next_attempt_at";
    private static final String OLDEST_NEW = "SELECT min(queued_at) FROM outbox_events";

    /**
     * Per destination of one app, the events in the outbox (not yet dispatched) that it wants, as the writer chose
     * them: a rule of the destination matches the type or {@code custom:} name, and an ad platform's rule needs ads
     * consent (bots were never queued). Counted once per event even if two rules of the destination match it.
     */
    private static final String WAITING_NEW = "SELECT r.destination_id, count(DISTINCT u.event_id), min(o.queued_at)"
            + " FROM outbox_events o CROSS JOIN LATERAL unnest(o.event_ids, o.occurred_ats) AS u(event_id, occurred_at)"
            + " JOIN analytics_events e ON e.app_id = o.app_id AND e.occurred_at = u.occurred_at"
            + " AND e.event_id = u.event_id"
            + " JOIN destination_rules r ON r.app_id = o.app_id"
            + " AND (r.match = e.event_type OR r.match = 'custom:' || e.event_name)"
            + " AND (NOT r.advertising OR e.consent_ads)"
            + " WHERE o.app_id = ? GROUP BY r.destination_id";

    private final EventColumns columns;

    OutboxStore(EventColumns columns) {
        this.columns = columns;
    }

    /**
     * New events, oldest first, at least {@code minEvents} of them when that many wait (whole outbox rows, so
     * possibly more), locked until the caller's transaction ends.
     */
    List<Claimed> claimNew(Connection c, int minEvents) throws SQLException {
        List<Long> rowIds = new ArrayList<>();
        List<Long> apps = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<Timestamp> times = new ArrayList<>();
        List<byte[]> clientData = new ArrayList<>();
        List<Instant> queued = new ArrayList<>();
        long after = 0;
        try (PreparedStatement ps = c.prepareStatement(CLAIM_ROWS)) {
            while (ids.size() < minEvents) {
                ps.setLong(1, after);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        after = rs.getLong(1);
                        UUID[] eventIds = (UUID[]) rs.getArray(3).getArray();
                        Timestamp[] occurred = (Timestamp[]) rs.getArray(4).getArray();
                        java.sql.Array sealed = rs.getArray(5);
                        byte[][] data = sealed == null ? null : (byte[][]) sealed.getArray();
                        Instant queuedAt = rs.getTimestamp(6).toInstant();
                        for (int i = 0; i < eventIds.length; i++) {
                            rowIds.add(after);
                            apps.add(rs.getLong(2));
                            ids.add(eventIds[i]);
                            times.add(occurred[i]);
                            clientData.add(data == null ? null : data[i]);
                            queued.add(queuedAt);
                        }
                    }
                }
                if (rows < 2) {
                    break;
                }
            }
        }
        List<Claimed> claimed = new ArrayList<>(ids.size());
        if (ids.isEmpty()) {
            return claimed;
        }
        try (PreparedStatement ps = c.prepareStatement(READ_EVENTS)) {
            ps.setArray(1, c.createArrayOf("bigint", apps.toArray()));
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            // As ISO-8601 text with its offset: exact to the microsecond, whatever the JVM's or session's time zone.
            ps.setArray(3, c.createArrayOf("text", times.stream().map(t -> t.toInstant().toString()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = rs.getInt(1) - 1;
                    claimed.add(new Claimed(rowIds.get(i), ids.get(i), apps.get(i), times.get(i).toInstant(), 0,
                            queued.get(i), columns.read(rs, 2), clientData.get(i)));
                }
            }
        }
        return claimed;
    }

    void deleteNew(Connection c, List<Claimed> rows) throws SQLException {
        Long[] ids = rows.stream().map(Claimed::outboxId).distinct().toArray(Long[]::new);
        try (PreparedStatement ps = c.prepareStatement(DELETE_NEW)) {
            Array array = c.createArrayOf("bigint", ids);
            ps.setArray(1, array);
            ps.executeUpdate();
        }
    }

    /** Up to {@code limit} pending deliveries of one destination whose retry time has come. */
    List<Claimed> claimDue(Connection c, long destinationId, Instant now, int limit) throws SQLException {
        List<Claimed> claimed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CLAIM_DUE)) {
            ps.setLong(1, destinationId);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(rs.getLong(1), rs.getObject(2, UUID.class), rs.getLong(3),
                            rs.getTimestamp(4).toInstant(), rs.getInt(6), rs.getTimestamp(5).toInstant(),
                            columns.read(rs, 8), rs.getBytes(7)));
                }
            }
        }
        return claimed;
    }

    /** Per destination of the app: how many events in the outbox it wants, and when the oldest was queued. */
    static java.util.Map<Long, DeliveryStore.Waiting> waitingNew(Connection c, long appId) throws SQLException {
        java.util.Map<Long, DeliveryStore.Waiting> waiting = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(WAITING_NEW)) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waiting.put(rs.getLong(1), new DeliveryStore.Waiting(rs.getLong(2), rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return waiting;
    }

    /** When the oldest event still waiting in the outbox was queued, or null when none waits. */
    Instant oldestNew(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(OLDEST_NEW); ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return t == null ? null : t.toInstant();
        }
    }
}
