package io.sightline.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates the monthly partitions of {@code analytics_events}: ahead of time (the months an accepted event may
 * fall in, plus two more) and on demand for whatever month a batch needs. Creation is idempotent and
 * serialised across server instances by an advisory lock.
 */
public final class PartitionManager {
    private static final Logger log = LoggerFactory.getLogger(PartitionManager.class);
    private static final long ADVISORY_LOCK_KEY = 0x5167_6874_7061_7274L; // "Sightpart"

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration backfillWindow;
    private final Set<YearMonth> known = ConcurrentHashMap.newKeySet();

    public PartitionManager(DataSource dataSource, Clock clock, Duration backfillWindow) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.backfillWindow = backfillWindow;
    }

    /** The months an event accepted now may fall into, and the next two; run at start and periodically. */
    public void ensureAhead() throws SQLException {
        Instant now = clock.instant();
        YearMonth first = month(now.minus(backfillWindow));
        YearMonth last = month(now).plusMonths(2);
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            ensure(m);
        }
    }

    /** Makes sure a partition exists for each of these months. */
    public void ensureAll(Collection<YearMonth> months) throws SQLException {
        for (YearMonth month : months) {
            if (!known.contains(month)) {
                ensure(month);
            }
        }
    }

    /** Forgets what is known to exist, after an insert found a partition missing (dropped by retention, say). */
    public void forget() {
        known.clear();
    }

    public static YearMonth month(Instant instant) {
        return YearMonth.from(instant.atOffset(ZoneOffset.UTC));
    }

    public static String partitionName(YearMonth month) {
        return String.format("analytics_events_p%04d_%02d", month.getYear(), month.getMonthValue());
    }

    private void ensure(YearMonth month) throws SQLException {
        // DDL takes no bind parameters; every value below is formatted from a YearMonth, never from input.
        String ddl = "CREATE TABLE IF NOT EXISTS " + partitionName(month)
                + " PARTITION OF analytics_events FOR VALUES FROM ('" + month.atDay(1) + " 00:00:00+00') TO ('"
                + month.plusMonths(1).atDay(1) + " 00:00:00+00')";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
                s.execute(ddl);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        if (known.add(month)) {
            log.debug("Partition {} is in place", partitionName(month));
        }
    }
}
