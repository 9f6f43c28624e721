package io.sightline.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What retention removes from the store's tables: whole monthly partitions of the events, older events of one app,
 * and the event keys no retry can meet any more. Which ones is the retention job's decision; how, without holding up
 * ingestion, is this class's: partitions are detached CONCURRENTLY first, which does not block inserts into the
 * others, and rows go in batches, one short transaction each.
 */
public final class EventRetention {
    /** Events deleted per transaction. */
    public static final int DELETE_BATCH = 5_000;
    /** Keys are narrow rows with one index entry each: a batch this size is a transaction of well under a second. */
    public static final int KEY_BATCH = 50_000;
    private static final Pattern PARTITION = Pattern.compile("analytics_events_p(\\d{4})_(\\d{2})");
    /**
     * One partition at a time (the table has no key but event_keys', see V13), found through the (app_id, occurred_at)
     * index and deleted by row address; {@code %s} is a partition name rebuilt from its parsed month.
     */
    private static final String DELETE_OLD_EVENTS = "DELETE FROM %s WHERE ctid = ANY (ARRAY("
            + "SELECT ctid FROM %s WHERE app_id = ? AND occurred_at < ? LIMIT " + DELETE_BATCH + "))";
    /** Found through the BRIN index on received_at, then deleted by row address. */
    private static final String DELETE_OLD_KEYS = "DELETE FROM event_keys WHERE ctid = ANY (ARRAY("
            + "SELECT ctid FROM event_keys WHERE received_at < ? LIMIT " + KEY_BATCH + "))";
    /** Partitions of analytics_events, and tables left by a detach that was interrupted before the drop. */
    private static final String PARTITIONS = "SELECT t.relname, i.inhrelid IS NOT NULL,"
            + " coalesce(i.inhdetachpending, false) FROM pg_class t"
            + " LEFT JOIN pg_inherits i ON i.inhrelid = t.oid"
            + " WHERE t.relkind = 'r' AND t.relnamespace = current_schema()::regnamespace"
            + " AND t.relname LIKE 'analytics\\_events\\_p%' AND (i.inhparent IS NULL OR i.inhparent = 'analytics_events'::regclass)"
            + " ORDER BY t.relname";

    private final DataSource dataSource;

    public EventRetention(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Drops the monthly partitions whose month is {@code expired}; returns the names of those dropped. */
    public List<String> dropPartitions(Predicate<YearMonth> expired) throws SQLException {
        List<String> dropped = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true); // DETACH … CONCURRENTLY cannot run inside a transaction block
            for (PartitionTable table : partitions(c)) {
                Matcher m = PARTITION.matcher(table.name());
                if (!m.matches()) {
                    continue;
                }
                YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                // The name is rebuilt from the parsed month, so only PartitionManager's own names reach the DDL.
                String name = PartitionManager.partitionName(month);
                if (!name.equals(table.name()) || !expired.test(month)) {
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    if (table.attached()) {
                        s.execute("ALTER TABLE analytics_events DETACH PARTITION " + name
                                + (table.detachPending() ? " FINALIZE" : " CONCURRENTLY"));
                    }
                    s.execute("DROP TABLE IF EXISTS " + name);
                }
                dropped.add(name);
            }
        }
        return dropped;
    }

    /** Deletes the events of {@code appId} that occurred before {@code cutoff}; returns how many. */
    public long deleteEvents(long appId, Instant cutoff) throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            Timestamp before = Timestamp.from(cutoff);
            for (PartitionTable table : partitions(c)) {
                Matcher m = PARTITION.matcher(table.name());
                if (!table.attached() || !m.matches()) {
                    continue;
                }
                YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                String name = PartitionManager.partitionName(month);
                if (!name.equals(table.name()) || !month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(cutoff)) {
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement(DELETE_OLD_EVENTS.formatted(name, name))) {
                    int n;
                    do {
                        ps.setLong(1, appId);
                        ps.setTimestamp(2, before);
                        n = ps.executeUpdate();
                        total += n;
                    } while (n == DELETE_BATCH);
                }
            }
        }
        return total;
    }

    /** Deletes the event keys received before {@code before}; returns how many. */
    public long deleteKeys(Instant before) throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE_OLD_KEYS)) {
            c.setAutoCommit(true);
            ps.setTimestamp(1, Timestamp.from(before));
            int n;
            do {
                n = ps.executeUpdate();
                total += n;
            } while (n == KEY_BATCH);
        }
        return total;
    }

    private record PartitionTable(String name, boolean attached, boolean detachPending) {}

    private static List<PartitionTable> partitions(Connection c) throws SQLException {
        List<PartitionTable> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(PARTITIONS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(new PartitionTable(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3)));
            }
        }
        return tables;
    }
}
