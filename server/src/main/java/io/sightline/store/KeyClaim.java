package io.sightline.store;

import org.postgresql.jdbc.PgConnection;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One batch's key claim: a single statement that inserts the batch's event ids into {@code event_keys} (see
 * V12__event_keys.sql), and for the ids it inserted (the events new to the server) queues those some destination
 * wants in the forwarding outbox and marks their late days, then answers which rows those were. The writer then
 * COPYs only those rows into {@code analytics_events}, in the same transaction.
 *
 * <p>The rows go to PostgreSQL as one array per column, one element per distinct id: copies of one id within the
 * batch are folded here first, the earliest {@code occurred_at} winning (the first on a tie). The insert is sorted by
 * key, so that two writers holding some of the same ids take their locks in one order and cannot deadlock.
 */
final class KeyClaim {
    private static final String MICROS_TO_TIME = "timestamptz 'epoch' + %s * interval '1 microsecond'";
    /**
     * The stored events some enabled destination of their app wants (a rule matches the type or {@code custom:}
     * name, and an ad platform's rule needs ads consent; a bot's never) go to the forwarding outbox (V16__outbox.sql)
     * as one row per app of their ids and times. destination_rules holds the rules of enabled destinations only, so
     * an app without any costs one probe of a small index.
     */
    private static final String WANTED = " WHERE NOT s.is_bot AND EXISTS (SELECT 1 FROM destination_rules r"
            + " WHERE r.app_id = s.app_id AND (r.match = s.event_type OR r.match = 'custom:' || s.event_name)"
            + " AND (NOT r.advertising OR s.consent_ads))";
    /** A newer mark replaces marked_at so a rollup run in progress keeps it. */
    private static final String MARK = ", marked AS (INSERT INTO rollup_dirty (app_id, day, marked_at)"
            + " SELECT app_id, (occurred_at AT TIME ZONE 'UTC')::date, ?::timestamptz FROM stored"
            + " WHERE occurred_at < ?::timestamptz GROUP BY 1, 2"
            + " ON CONFLICT (app_id, day) DO UPDATE SET marked_at = EXCLUDED.marked_at)";

    /**
     * The statement in one of its four shapes: with the marks of late days (two more parameters, the mark's time
     * and the bound before which an event is late) or not, with sealed client data for the outbox or not (the other
     * batches bind one array fewer). It answers the 1-based positions, in the arrays, of the rows it claimed.
     */
    static String sql(boolean mark, boolean clientData) {
        return "WITH input AS (SELECT * FROM unnest(?::int8[], ?::uuid[], ?::int8[], ?::int8[], ?::text[], ?::text[],"
                + " ?::bool[], ?::bool[]" + (clientData ? ", ?::bytea[]" : "") + ") WITH ORDINALITY AS u (app_id,"
                + " event_id, occurred_us, received_us, event_type, event_name, consent_ads, is_bot"
                + (clientData ? ", client_data" : "") + ", n)),"
                + " fresh AS (INSERT INTO event_keys (app_id, event_id, occurred_at, received_at)"
                + " SELECT app_id, event_id, " + MICROS_TO_TIME.formatted("occurred_us") + ", "
                + MICROS_TO_TIME.formatted("received_us") + " FROM input ORDER BY app_id, event_id"
                + " ON CONFLICT DO NOTHING RETURNING app_id, event_id, occurred_at),"
                + " stored AS (SELECT i.*, f.occurred_at FROM input i JOIN fresh f USING (app_id, event_id)),"
                + " queued AS (INSERT INTO outbox_events (app_id, event_ids, occurred_ats"
                + (clientData ? ", client_data" : "") + ") SELECT s.app_id, array_agg(s.event_id ORDER BY s.event_id),"
                + " array_agg(s.occurred_at ORDER BY s.event_id)"
                + (clientData ? ", array_agg(s.client_data ORDER BY s.event_id)" : "")
                + " FROM stored s" + WANTED + " GROUP BY s.app_id)"
                + (mark ? MARK : "")
                + " SELECT n FROM stored";
    }

    private final List<EncodedRows> parts;
    /** Where each distinct id's chosen copy is: its part and its row there. */
    private final int[] part;
    private final int[] row;
    /** The chosen copy's client data, or another copy's where it has none. */
    private final byte[][] clientData;
    private final int distinct;

    KeyClaim(List<EncodedRows> parts) {
        this.parts = parts;
        int total = 0;
        boolean anyClientData = false;
        for (EncodedRows p : parts) {
            total += p.size();
            anyClientData |= p.clientData != null;
        }
        part = new int[total];
        row = new int[total];
        clientData = anyClientData ? new byte[total][] : null;
        Map<Key, Integer> seen = new HashMap<>(total * 2);
        int n = 0;
        for (int p = 0; p < parts.size(); p++) {
            EncodedRows rs = parts.get(p);
            for (int r = 0; r < rs.size(); r++) {
                byte[] sealed = rs.clientData == null ? null : rs.clientData[r];
                Integer earlier = seen.putIfAbsent(new Key(rs.appIds[r], rs.eventIds[r]), n);
                if (earlier == null) {
                    part[n] = p;
                    row[n] = r;
                    if (clientData != null) {
                        clientData[n] = sealed;
                    }
                    n++;
                    continue;
                }
                int e = earlier;
                if (rs.occurredMicros[r] < parts.get(part[e]).occurredMicros[row[e]]) {
                    part[e] = p;
                    row[e] = r;
                    if (clientData != null && sealed != null) {
                        clientData[e] = sealed;
                    }
                } else if (clientData != null && clientData[e] == null) {
                    clientData[e] = sealed;
                }
            }
        }
        distinct = n;
    }

    private record Key(long appId, UUID eventId) {}

    boolean clientData() {
        return clientData != null;
    }

    /**
     * Binds the arrays (parameters 1 to 8, or 9 with client data), runs the statement and answers, per part and row,
     * whether that row is to be stored: the chosen copy of an id this batch claimed.
     */
    boolean[][] run(PreparedStatement statement, PgConnection connection) throws SQLException {
        long[] appIds = new long[distinct];
        UUID[] eventIds = new UUID[distinct];
        long[] occurred = new long[distinct];
        long[] received = new long[distinct];
        String[] types = new String[distinct];
        String[] names = new String[distinct];
        boolean[] ads = new boolean[distinct];
        boolean[] bots = new boolean[distinct];
        for (int i = 0; i < distinct; i++) {
            EncodedRows rs = parts.get(part[i]);
            int r = row[i];
            appIds[i] = rs.appIds[r];
            eventIds[i] = rs.eventIds[r];
            occurred[i] = rs.occurredMicros[r];
            received[i] = rs.receivedMicros[r];
            types[i] = rs.types[r];
            names[i] = rs.names[r];
            ads[i] = rs.adsConsent[r];
            bots[i] = rs.bots[r];
        }
        statement.setArray(1, connection.createArrayOf("int8", appIds));
        statement.setArray(2, connection.createArrayOf("uuid", eventIds));
        statement.setArray(3, connection.createArrayOf("int8", occurred));
        statement.setArray(4, connection.createArrayOf("int8", received));
        statement.setArray(5, connection.createArrayOf("text", types));
        statement.setArray(6, connection.createArrayOf("text", names));
        statement.setArray(7, connection.createArrayOf("bool", ads));
        statement.setArray(8, connection.createArrayOf("bool", bots));
        if (clientData != null) {
            statement.setArray(9, connection.createArrayOf("bytea", Arrays.copyOf(clientData, distinct)));
        }
        boolean[][] stored = new boolean[parts.size()][];
        for (int p = 0; p < parts.size(); p++) {
            stored[p] = new boolean[parts.get(p).size()];
        }
        try (ResultSet claimed = statement.executeQuery()) {
            while (claimed.next()) {
                int i = (int) claimed.getLong(1) - 1;
                stored[part[i]][row[i]] = true;
            }
        }
        return stored;
    }
}
