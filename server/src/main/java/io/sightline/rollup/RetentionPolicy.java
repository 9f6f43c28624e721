package io.sightline.rollup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;

/**
 * How long things are kept, and the rollup delay: shared by the rollup job (which must not roll days whose events
 * or stats retention has removed, or it would write empty days over them) and the retention job.
 *
 * @param eventRetentionDays  SIGHTLINE_RETENTION_DAYS: whole months of events older than this, and than every app's
 *                            own retention_days, are dropped
 * @param statsRetentionDays  SIGHTLINE_STATS_RETENTION_DAYS: daily stats older than this are deleted; 0 keeps them
 * @param backfillWindow      SIGHTLINE_BACKFILL_WINDOW: no month an accepted event may fall in is ever dropped
 * @param rollupDelay         SIGHTLINE_ROLLUP_DELAY: a day is rolled this long after it ends; older events are late
 * @param futureTolerance     SIGHTLINE_FUTURE_TOLERANCE: with the backfill window, how long after its receipt a retry
 *                            of an event can still be accepted, so how long its key is kept
 */
public record RetentionPolicy(int eventRetentionDays, int statsRetentionDays, Duration backfillWindow,
                             Duration rollupDelay, Duration futureTolerance) {

    /** With the default future tolerance (24 h). */
    public RetentionPolicy(int eventRetentionDays, int statsRetentionDays, Duration backfillWindow, Duration rollupDelay) {
        this(eventRetentionDays, statsRetentionDays, backfillWindow, rollupDelay, Duration.ofHours(24));
    }

    /**
     * The oldest local day whose events an app still keeps: its own retention_days, which whole-month drops honour
     * (see {@link #partitionRetentionDays}).
     */
    LocalDate oldestEventDay(Instant now, ZoneId zone, int appRetentionDays) {
        return LocalDate.ofInstant(now, zone).minusDays(appRetentionDays);
    }

    /** A monthly partition is dropped only past the server's retention and every app's, so no app loses days early. */
    int partitionRetentionDays(Collection<Integer> appRetentionDays) {
        return Math.max(eventRetentionDays, appRetentionDays.stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    /** Event keys received before this can no longer meet a retry the server would accept. */
    Instant oldestKeyKept(Instant now) {
        return now.minus(backfillWindow).minus(futureTolerance);
    }

    /** The oldest local day whose daily stats are kept; {@link LocalDate#MIN} when kept forever. */
    LocalDate oldestStatsDay(Instant now, ZoneId zone) {
        return statsRetentionDays == 0 ? LocalDate.MIN : LocalDate.ofInstant(now, zone).minusDays(statsRetentionDays);
    }

    /** The oldest day the rollup job may (re)write: both its events and its stats are still kept. */
    LocalDate oldestRollableDay(Instant now, ZoneId zone, int appRetentionDays) {
        LocalDate events = oldestEventDay(now, zone, appRetentionDays);
        LocalDate stats = oldestStatsDay(now, zone);
        return stats.isAfter(events) ? stats : events;
    }
}
