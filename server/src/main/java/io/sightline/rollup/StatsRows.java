package io.sightline.rollup;

import io.sightline.sketch.UniqueSketch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of {@code analytics_daily_stats} or {@code analytics_monthly_stats} (the same columns, V5, V9, V10) gathered
 * and then written in one {@code INSERT … SELECT FROM unnest(arrays)}: the event count, both sketches and each
 * sketch's own estimate (what a reader needing one row alone uses instead of the sketch).
 */
final class StatsRows {
    /** The tables these rows go to; the name is put into SQL, so only these two. */
    enum Table {
        DAILY("analytics_daily_stats"), MONTHLY("analytics_monthly_stats");

        private final String sql;

        Table(String name) {
            this.sql = "INSERT INTO " + name
                    + " (app_id, day, event_type, dimension, value, events, visitors, sessions, visitor_count,"
                    + " session_count) SELECT ?, ?, * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[],"
                    + " ?::bytea[], ?::bytea[], ?::bigint[], ?::bigint[])";
        }
    }

    private final List<String> types = new ArrayList<>();
    private final List<String> dimensions = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private final List<Long> events = new ArrayList<>();
    private final List<byte[]> visitors = new ArrayList<>();
    private final List<byte[]> sessions = new ArrayList<>();
    private final List<Long> visitorCounts = new ArrayList<>();
    private final List<Long> sessionCounts = new ArrayList<>();

    void add(String eventType, String dimension, String value, long eventCount, UniqueSketch visitorSketch,
             UniqueSketch sessionSketch) {
        types.add(eventType);
        dimensions.add(dimension);
        values.add(value);
        events.add(eventCount);
        visitors.add(visitorSketch.toBytes());
        sessions.add(sessionSketch.toBytes());
        visitorCounts.add(visitorSketch.estimate());
        sessionCounts.add(sessionSketch.estimate());
    }

    /** Writes the rows gathered so far as {@code appId}'s rows of {@code day} (a month's first day for MONTHLY). */
    void insert(Connection c, Table table, long appId, LocalDate day) throws SQLException {
        if (types.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(table.sql)) {
            ps.setLong(1, appId);
            ps.setObject(2, day);
            ps.setArray(3, c.createArrayOf("text", types.toArray(new String[0])));
            ps.setArray(4, c.createArrayOf("text", dimensions.toArray(new String[0])));
            ps.setArray(5, c.createArrayOf("text", values.toArray(new String[0])));
            ps.setArray(6, c.createArrayOf("bigint", events.toArray(new Long[0])));
            ps.setArray(7, c.createArrayOf("bytea", visitors.toArray(new byte[0][])));
            ps.setArray(8, c.createArrayOf("bytea", sessions.toArray(new byte[0][])));
            ps.setArray(9, c.createArrayOf("bigint", visitorCounts.toArray(new Long[0])));
            ps.setArray(10, c.createArrayOf("bigint", sessionCounts.toArray(new Long[0])));
            ps.executeUpdate();
        }
    }
}
