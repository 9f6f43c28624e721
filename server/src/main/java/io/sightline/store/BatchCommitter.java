package io.sightline.store;

import io.sightline.error.StorageUnavailable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;

/**
 * The writer's one transaction per batch: COPY the rows (already in COPY text form) into a temporary staging
 * table, claim their ids in {@code event_keys}, move the rows whose id was new into {@code analytics_events},
 * commit. So an event is stored once per (app, event id) for as long as its key is kept, whatever its
 * occurred_at, even when two writers hold copies of it at once.
 *
 * <p>Late events: when a batch holds an event that occurred more than {@link LateEventMarks#delay()} before the
 * commit, the move also marks, in {@code rollup_dirty}, the UTC date of every such event it actually stored (a retry
 * of a stored event marks nothing), in the same transaction, so a rolled-up day is never stale without a mark
 * (see V5__rollups.sql). Batches of only recent events take the plain move and pay nothing for this. That
 * statement is why the store owns the marks' table; the rollups reach it through {@link LateMarkStore}.
 *
 * <p>It keeps one connection for as long as it works, so the session's staging table and prepared statement
 * are made once rather than per batch; any failure discards it and the next batch opens another. Used by the
 * writer thread only, so it needs no locking.
 *
 * <p>The move itself deletes the staged rows (every part of one statement reads the same snapshot, so the other
 * parts still see them), and every {@link #VACUUM_EVERY} commits the connection vacuums its staging table, which
 * autovacuum never does for a temporary table. The table was {@code ON COMMIT DELETE ROWS} before: that truncates
 * the table, its TOAST table and rebuilds the TOAST index at every commit, which cost PostgreSQL about 350 µs of CPU
 * and 600 µs of the writer's time per commit, more than the 16 rows of a typical {@code /track} commit at half load
 * (measured with 2,000 commits of 1 and 16 rows against the embedded cluster).
 */
final class BatchCommitter implements AutoCloseable {
    private static final String STAGING_DDL = "CREATE TEMP TABLE IF NOT EXISTS staging_events"
            + " (LIKE analytics_events INCLUDING DEFAULTS, client_data bytea)";
    private static final String COPY_SQL = "COPY staging_events (" + CopyRowEncoder.STAGED_COLUMNS + ") FROM STDIN";
    /**
     * Claims the batch's event ids in {@code event_keys} (see V12__event_keys.sql). Sorted, so that two writers
     * holding some of the same ids take their locks in one order and cannot deadlock; the earliest copy of an id
     * wins within the batch.
     */
    private static final String CLAIM_KEYS = "fresh AS (INSERT INTO event_keys (app_id, event_id, occurred_at, received_at)"
            + " SELECT DISTINCT ON (app_id, event_id) app_id, event_id, occurred_at, received_at FROM staging_events"
            + " ORDER BY app_id, event_id, occurred_at"
            + " ON CONFLICT DO NOTHING RETURNING app_id, event_id, occurred_at)";
    /**
     * Only the staged rows whose id was claimed just now, one per id: event_keys is the only key (V13), so exact
     * copies within the batch are folded here.
     */
    private static final String INSERT_EVENTS = "INSERT INTO analytics_events (" + CopyRowEncoder.COLUMNS + ") SELECT "
            + CopyRowEncoder.COLUMNS + " FROM (SELECT DISTINCT ON (app_id, event_id) s.* FROM staging_events s"
            + " JOIN fresh USING (app_id, event_id, occurred_at)) one";
    private static final String STORED = "stored AS (" + INSERT_EVENTS
            + " RETURNING app_id, event_id, occurred_at, event_type, event_name, consent_ads, is_bot)";
    /**
     * The stored events some enabled destination of their app wants (a rule matches the type or {@code custom:}
     * name, and an ad platform's rule needs ads consent; a bot's never) go to the forwarding outbox
     * (V16__outbox.sql) in the same transaction, as one row per app of their ids and times. destination_rules holds
     * the rules of enabled destinations only, so an app without any costs one probe of a small index.
     */
    private static final String WANTED = " WHERE NOT s.is_bot AND EXISTS (SELECT 1 FROM destination_rules r"
            + " WHERE r.app_id = s.app_id AND (r.match = s.event_type OR r.match = 'custom:' || s.event_name)"
            + " AND (NOT r.advertising OR s.consent_ads))";
    private static final String QUEUE = "INSERT INTO outbox_events (app_id, event_ids, occurred_ats)"
            + " SELECT s.app_id, array_agg(s.event_id ORDER BY s.event_id), array_agg(s.occurred_at ORDER BY s.event_id)"
            + " FROM stored s" + WANTED + " GROUP BY s.app_id";
    /**
     * The same, carrying the sealed client data of the staged copy; only for batches that hold some (the writer
     * knows), so that the join costs nothing to the others.
     */
    private static final String QUEUE_WITH_CLIENT_DATA = "INSERT INTO outbox_events (app_id, event_ids, occurred_ats,"
            + " client_data) SELECT s.app_id, array_agg(s.event_id ORDER BY s.event_id),"
            + " array_agg(s.occurred_at ORDER BY s.event_id), array_agg(c.client_data ORDER BY s.event_id)"
            + " FROM stored s LEFT JOIN"
            + " (SELECT DISTINCT ON (app_id, event_id) app_id, event_id, client_data FROM staging_events"
            + " WHERE client_data IS NOT NULL ORDER BY app_id, event_id) c"
            + " ON c.app_id = s.app_id AND c.event_id = s.event_id" + WANTED + " GROUP BY s.app_id";
    /** A newer mark replaces marked_at so a rollup run in progress keeps it. */
    private static final String MARK = " INSERT INTO rollup_dirty (app_id, day, marked_at)"
            + " SELECT app_id, (occurred_at AT TIME ZONE 'UTC')::date, ? FROM stored WHERE occurred_at < ? GROUP BY 1, 2"
            + " ON CONFLICT (app_id, day) DO UPDATE SET marked_at = EXCLUDED.marked_at";

    /** Empties the staging table for the next batch; the statement's other parts still read the rows. */
    private static final String CLEAR = "cleared AS (DELETE FROM staging_events)";
    /** Commits between two vacuums of the staging table: it then holds at most this many batches' dead rows. */
    static final int VACUUM_EVERY = 64;

    /** The move: claim, insert, queue for forwarding, clear the staging, and with {@code mark}, the marks of late days. */
    static String moveSql(boolean mark, boolean clientData) {
        String queue = clientData ? QUEUE_WITH_CLIENT_DATA : QUEUE;
        return mark ? "WITH " + CLAIM_KEYS + ", " + STORED + ", " + CLEAR + ", queued AS (" + queue + ")" + MARK
                : "WITH " + CLAIM_KEYS + ", " + STORED + ", " + CLEAR + " " + queue;
    }

    private final DataSource dataSource;
    private final PartitionManager partitions;
    private final LateEventMarks late;
    private Connection connection;
    /** The four shapes of the move (late marks or not, client data or not), prepared on first use. */
    private final PreparedStatement[] moves = new PreparedStatement[4];
    private int commitsSinceVacuum;

    BatchCommitter(DataSource dataSource, PartitionManager partitions, LateEventMarks late) {
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.late = late;
    }

    /**
     * Stores the rows in one transaction. A pooled connection may be stale after a database restart, so a
     * failure before COMMIT was sent is retried once on a fresh connection (and a missing partition is
     * recreated first). A failure during COMMIT is not retried: its outcome is unknown, the client retries,
     * and the key claim makes that retry harmless.
     */
    void commit(List<byte[]> copyData, Set<YearMonth> months, Instant earliest, boolean clientData)
            throws SQLException {
        try {
            attempt(copyData, months, earliest, clientData);
        } catch (CommitOutcomeUnknown e) {
            throw e.cause;
        } catch (SQLException e) {
            if (!StorageUnavailable.isUnavailable(e) && !isMissingPartition(e) && !isDeadlock(e)) {
                throw e;
            }
            if (isMissingPartition(e)) {
                partitions.forget();
            }
            try {
                attempt(copyData, months, earliest, clientData);
            } catch (CommitOutcomeUnknown again) {
                throw again.cause;
            }
        }
    }

    /** Drops the connection (it goes back to the pool's care and is closed). */
    @Override
    public void close() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
            java.util.Arrays.fill(moves, null);
            commitsSinceVacuum = 0;
        }
    }

    /** "no partition of relation … found for row": a partition was dropped after it was known to exist. */
    private static boolean isMissingPartition(SQLException e) {
        return "23514".equals(e.getSQLState());
    }

    /** Sorted key claims should prevent it; should another lock order still cross, one retry is enough. */
    private static boolean isDeadlock(SQLException e) {
        return "40P01".equals(e.getSQLState());
    }

    private void attempt(List<byte[]> copyData, Set<YearMonth> months, Instant earliest, boolean clientData)
            throws SQLException, CommitOutcomeUnknown {
        partitions.ensureAll(months);
        Connection c = connection();
        try {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL);
            try {
                for (byte[] chunk : copyData) {
                    copy.writeToCopy(chunk, 0, chunk.length);
                }
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            Instant now = late.clock().instant();
            Instant lateBefore = now.minus(late.delay());
            boolean mark = earliest.isBefore(lateBefore);
            int shape = (mark ? 2 : 0) + (clientData ? 1 : 0);
            if (moves[shape] == null) {
                moves[shape] = c.prepareStatement(moveSql(mark, clientData));
            }
            PreparedStatement move = moves[shape];
            if (mark) {
                move.setTimestamp(1, Timestamp.from(now));
                move.setTimestamp(2, Timestamp.from(lateBefore));
            }
            move.executeUpdate();
        } catch (SQLException e) {
            rollbackQuietly(c);
            close();
            throw e;
        }
        try {
            c.commit();
        } catch (SQLException e) {
            close();
            throw new CommitOutcomeUnknown(e);
        }
        if (++commitsSinceVacuum >= VACUUM_EVERY) {
            vacuumStaging(c);
        }
    }

    /**
     * Reclaims the deleted staging rows, outside any transaction as VACUUM must be. The batch is committed already,
     * so a failure here only discards the connection.
     */
    private void vacuumStaging(Connection c) {
        commitsSinceVacuum = 0;
        try {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM staging_events");
            }
            c.setAutoCommit(false);
        } catch (SQLException e) {
            close();
        }
    }

    /** Rows now in the staging table and its size in bytes; for tests. */
    long[] staging() throws SQLException {
        try (Statement s = connection().createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), pg_relation_size('staging_events') FROM staging_events")) {
            r.next();
            long[] out = {r.getLong(1), r.getLong(2)};
            connection.commit();
            return out;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute(STAGING_DDL);
                }
                c.commit();
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; it is discarded next
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    /** COMMIT was sent but its answer never came: the transaction may or may not have committed. */
    private static final class CommitOutcomeUnknown extends Exception {
        private static final long serialVersionUID = 1L;
        private final SQLException cause;

        CommitOutcomeUnknown(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }
}
