package io.sightline.sdk;

import io.sightline.testing.TestServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what the real server stored, straight from analytics_events. */
final class ServerEvents {
    private ServerEvents() {
    }

    private static final String COLUMNS = "SELECT event_id::text AS event_id, event_type, event_name, occurred_at,"
            + " session_id, visitor_id, user_id, os, os_version, device_model, device_type, app_version, app_build,"
            + " locale, consent_analytics, consent_ads, properties::text AS properties, properties->>'seq' AS seq"
            + " FROM analytics_events";

    /** Every stored event, oldest first, as column name to value (properties as JSON text). */
    static List<Map<String, Object>> all(TestServer server) throws SQLException {
        return query(server, COLUMNS + " ORDER BY occurred_at, event_id");
    }

    /** The events of the visitor whose id the SDK keeps in {@code storage}, oldest first. */
    static List<Map<String, Object>> ofStorage(TestServer server, java.io.File storage) throws Exception {
        return ofVisitor(server, StateFiles.read(new java.io.File(storage, "visitor_id"))[0]);
    }

    /** The events of one visitor (one SDK storage folder), oldest first. */
    static List<Map<String, Object>> ofVisitor(TestServer server, String visitorId) throws SQLException {
        return query(server, COLUMNS + " WHERE visitor_id = ? ORDER BY occurred_at, event_id", visitorId);
    }

    static List<Map<String, Object>> query(TestServer server, String sql, String... params) throws SQLException {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            return rows(ps);
        }
    }

    private static List<Map<String, Object>> rows(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
