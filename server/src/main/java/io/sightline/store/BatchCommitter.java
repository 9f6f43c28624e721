package io.sightline.store;

import io.sightline.error.StorageUnavailable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.jdbc.PgConnection;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The writer's one transaction per batch: claim the batch's ids in {@code event_keys}, queue for forwarding and
 * mark late days in the same statement ({@link KeyClaim}), COPY only the rows whose id was new straight into
 * {@code analytics_events}, commit. So an event is stored once per (app, event id) for as long as its key is kept,
 * whatever its occurred_at, even when two writers hold copies of it at once.
 *
 * <p>Late events: when a batch holds an event that occurred more than {@link LateEventMarks#delay()} before the
 * commit, the claim also marks, in {@code rollup_dirty}, the UTC date of every such event it actually stored (a retry
 * of a stored event marks nothing), in the same transaction, so a rolled-up day is never stale without a mark
 * (see V5__rollups.sql). Batches of only recent events take the plain claim and pay nothing for this. That
 * statement is why the store owns the marks' table; the rollups reach it through {@link LateMarkStore}.
 *
 * <p>It keeps one connection for as long as it works, so the prepared statements are made once rather than per
 * batch; any failure discards it and the next batch opens another. Used by the writer thread only, so it needs no
 * locking.
 *
 * <p>The rows were staged in a temporary table before, and moved from there with one INSERT … SELECT: that wrote
 * and read every row twice and sorted the batch twice. Measured against the embedded cluster with 1,000-row commits,
 * the claim by arrays plus a direct COPY took 16-17 ms of PostgreSQL CPU per commit, the staging 25 ms.
 */
final class BatchCommitter implements AutoCloseable {
    private static final String COPY_SQL = "COPY analytics_events (" + CopyRowEncoder.COLUMNS + ") FROM STDIN";

    private final DataSource dataSource;
    private final PartitionManager partitions;
    private final LateEventMarks late;
    private Connection connection;
    /** The four shapes of the claim (late marks or not, client data or not), prepared on first use. */
    private final PreparedStatement[] claims = new PreparedStatement[4];

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
    void commit(List<EncodedRows> parts) throws SQLException {
        Set<YearMonth> months = new HashSet<>(4);
        Instant earliest = Instant.MAX;
        for (EncodedRows p : parts) {
            months.addAll(p.months);
            if (p.earliest.isBefore(earliest)) {
                earliest = p.earliest;
            }
        }
        KeyClaim claim = new KeyClaim(parts);
        try {
            attempt(parts, claim, months, earliest);
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
                attempt(parts, claim, months, earliest);
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
            Arrays.fill(claims, null);
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

    private void attempt(List<EncodedRows> parts, KeyClaim claim, Set<YearMonth> months, Instant earliest)
            throws SQLException, CommitOutcomeUnknown {
        partitions.ensureAll(months);
        Connection c = connection();
        try {
            Instant now = late.clock().instant();
            Instant lateBefore = now.minus(late.delay());
            boolean mark = earliest.isBefore(lateBefore);
            int shape = (mark ? 2 : 0) + (claim.clientData() ? 1 : 0);
            if (claims[shape] == null) {
                claims[shape] = c.prepareStatement(KeyClaim.sql(mark, claim.clientData()));
            }
            PreparedStatement statement = claims[shape];
            if (mark) {
                int first = claim.clientData() ? 10 : 9;
                statement.setTimestamp(first, Timestamp.from(now));
                statement.setTimestamp(first + 1, Timestamp.from(lateBefore));
            }
            copy(c, parts, claim.run(statement, c.unwrap(PgConnection.class)));
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
    }

    /** Streams the rows to be stored, each run of them in one piece; nothing when the batch held only retries. */
    private static void copy(Connection c, List<EncodedRows> parts, boolean[][] stored) throws SQLException {
        CopyIn copy = null;
        try {
            for (int p = 0; p < parts.size(); p++) {
                EncodedRows rows = parts.get(p);
                boolean[] keep = stored[p];
                int r = 0;
                while (r < keep.length) {
                    if (!keep[r]) {
                        r++;
                        continue;
                    }
                    int from = rows.rowStart(r);
                    while (r < keep.length && keep[r]) {
                        r++;
                    }
                    if (copy == null) {
                        copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL);
                    }
                    copy.writeToCopy(rows.copyData, from, rows.rowEnds[r - 1] - from);
                }
            }
            if (copy != null) {
                copy.endCopy();
            }
        } finally {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
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
