package io.sightline.stats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rolled days and months of this process's queries whose stored sketch bytes did not read back: they are read
 * from the daily rows (a month) or raw (a day) instead, so a damaged row costs speed, never an answer. Each is
 * logged once, at WARN, and remembered by its {@code rolled_at}: a re-roll writes new rows and makes it usable again.
 *
 * <p>Kept in memory only (at most {@link #REMEMBERED}; the oldest is forgotten first, then found and logged again
 * by the next query that reads it). Shared by the stats services.
 */
public final class DamagedRollups {
    private static final Logger log = LoggerFactory.getLogger(DamagedRollups.class);
    private static final int REMEMBERED = 10_000;
    /** Each retry sets one more part aside; more than this many in one query is not damage but a fault. */
    private static final int MAX_RETRIES = 100;

    /** One rolled day (or month, by its first day) of one app as it was rolled at {@code rolledAt}. */
    record Part(long appId, boolean month, LocalDate day, Instant rolledAt) {
    }

    /** Thrown by {@link RollupReader} for a row whose sketch is malformed. */
    static final class CorruptRow extends RuntimeException {
        private final Part part;

        CorruptRow(Part part, IllegalArgumentException cause) {
            super(cause.getMessage(), cause, false, false);
            this.part = part;
        }
    }

    private final Map<Part, Boolean> parts = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Part, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** Whether the rows of this day (or month) as rolled at {@code rolledAt} are known to be damaged. */
    boolean contains(long appId, boolean month, LocalDate day, Instant rolledAt) {
        synchronized (parts) {
            return parts.containsKey(new Part(appId, month, day, rolledAt));
        }
    }

    /**
     * Runs {@code read} (which plans with {@link ReadPlanner}, so it leaves out the parts set aside); when it meets
     * a damaged row, sets that row's day or month aside and runs it again.
     */
    <T> T read(JooqRunner db, JooqRunner.Work<T> read) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                return db.read(read);
            } catch (CorruptRow e) {
                if (attempt == MAX_RETRIES) {
                    throw e;
                }
                setAside(e);
            }
        }
    }

    private void setAside(CorruptRow e) {
        boolean added;
        synchronized (parts) {
            added = parts.put(e.part, Boolean.TRUE) == null;
        }
        if (added) {
            Part p = e.part;
            if (p.month()) {
                log.warn("The monthly rollup of app {} for the month of {} (rolled at {}) is damaged: {}; its days"
                        + " are read from the daily rollups until it is rebuilt", p.appId(), p.day(), p.rolledAt(),
                        e.getMessage());
            } else {
                log.warn("The daily rollup of app {} for {} (rolled at {}) is damaged: {}; that day is read from raw"
                        + " events until it is rolled again", p.appId(), p.day(), p.rolledAt(), e.getMessage());
            }
        }
    }
}
