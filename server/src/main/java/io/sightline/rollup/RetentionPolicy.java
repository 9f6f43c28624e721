package io.sightline.rollup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * How long things are kept, and the rollup delay: shared by the rollup job (which must not roll days whose events
 * or stats retention has removed, or it would write empty days over them) and the retention job.
 *
 * @param eventRetentionDays  SIGHTLINE_RETENTION_DAYS: whole months of events older than this are dropped
 * @param statsRetentionDays  SIGHTLINE_STATS_RETENTION_DAYS: daily stats older than this are deleted; 0 keeps them
 * @param backfillWindow      SIGHTLINE_BACKFILL_WINDOW: no month an accepted event may fall in is ever dropped
 * @param rollupDelay         SIGHTLINE_ROLLUP_DELAY: a day is rolled this long after it ends; older events are late
 */
public record RetentionPolicy(int eventRetentionDays, int statsRetentionDays, Duration backfillWindow,
                             Duration rollupDelay) {

    /** The oldest local day whose events an app still keeps (its own retention or the server's, the shorter). */
    LocalDate oldestEventDay(Instant now, ZoneId zone, int appRetentionDays) {
        return LocalDate.ofInstant(now, zone).minusDays(Math.min(appRetentionDays, eventRetentionDays));
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
