package io.sightline.rollup;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.sightline.auth.AppSettings;
import io.sightline.store.EventRetention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Daily retention. (1) Drops whole monthly partitions of the events whose month ended more than the server's
 * retention and every app's {@code retention_days} ago, never one an accepted event could still fall into (the
 * backfill window). (2) For an app with a shorter {@code retention_days}, deletes its older events. (3) With
 * SIGHTLINE_STATS_RETENTION_DAYS set, deletes older daily stats with their rolled-day rows. (4) Deletes the event
 * keys no retry can meet any more. The store's {@link EventRetention} removes what (1), (2) and (4) decide, without
 * holding up ingestion.
 */
public final class RetentionJob {
    public static final String TASK_NAME = "sightline-retention";
    static final int DELETE_BATCH = EventRetention.DELETE_BATCH;
    static final int KEY_BATCH = EventRetention.KEY_BATCH;
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /** What one run did. */
    public record Run(List<String> droppedPartitions, long eventsDeleted, long statsDaysDeleted, long keysDeleted) {}

    private final DataSource dataSource;
    private final EventRetention events;
    private final Clock clock;
    private final RetentionPolicy policy;

    public RetentionJob(DataSource dataSource, Clock clock, RetentionPolicy policy) {
        this.dataSource = dataSource;
        this.events = new EventRetention(dataSource);
        this.clock = clock;
        this.policy = policy;
    }

    /** The recurring task: daily (and once at start), logs any failure and keeps the schedule. */
    public RecurringTask<Void> task() {
        return Tasks.recurring(TASK_NAME, Schedules.fixedDelay(Duration.ofDays(1))).execute((instance, context) -> {
            try {
                Run run = run();
                log.info("Retention: dropped partitions {}, deleted {} events of short-retention apps, {} days of"
                        + " stats and {} event keys", run.droppedPartitions(), run.eventsDeleted(),
                        run.statsDaysDeleted(), run.keysDeleted());
            } catch (Exception | Error e) {
                log.error("The retention job failed; it runs again tomorrow", e);
            }
        });
    }

    public Run run() throws SQLException {
        Instant now = clock.instant();
        List<AppSettings.Settings> apps;
        try (Connection c = dataSource.getConnection()) {
            apps = AppSettings.all(c);
        }
        int keptDays = policy.partitionRetentionDays(apps.stream().map(AppSettings.Settings::retentionDays).toList());
        List<String> dropped = events.dropPartitions(month -> expired(month, now, keptDays));
        dropped.forEach(name -> log.info("Dropped event partition {} (retention {} days)", name, keptDays));
        long deleted = 0;
        long statsDays = 0;
        for (AppSettings.Settings app : apps) {
            ZoneId zone = ZoneId.of(app.timeZone());
            if (app.retentionDays() < keptDays) {
                Instant cutoff = policy.oldestEventDay(now, zone, app.retentionDays()).atStartOfDay(zone).toInstant();
                deleted += deleteEvents(app.id(), cutoff);
            }
            if (policy.statsRetentionDays() > 0) {
                statsDays += deleteStats(app.id(), policy.oldestStatsDay(now, zone));
            }
        }
        return new Run(dropped, deleted, statsDays, events.deleteKeys(policy.oldestKeyKept(now)));
    }

    /** Months whose end is more than {@code keptDays}, and more than the backfill window, before {@code now}. */
    boolean expired(YearMonth month, Instant now, int keptDays) {
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return end.isBefore(now.minus(Duration.ofDays(keptDays))) && end.isBefore(now.minus(policy.backfillWindow()));
    }

    private long deleteEvents(long appId, Instant cutoff) throws SQLException {
        long total = events.deleteEvents(appId, cutoff);
        if (total > 0) {
            log.info("Deleted {} events of app {} older than {}", total, appId, cutoff);
        }
        return total;
    }

    /** Deletes an app's stats of days before {@code oldestKept}, in one transaction; returns the days removed. */
    private long deleteStats(long appId, LocalDate oldestKept) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long days = 0;
                // A month whose first day is gone is no longer whole: its monthly rows go with it.
                for (String table : List.of("rollup_days", "analytics_daily_stats", "analytics_daily_values",
                        "rollup_months", "analytics_monthly_stats", "analytics_monthly_values", "analytics_daily_funnels")) {
                    // table is one of the constants above, never input
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE app_id = ? AND day < ?")) {
                        ps.setLong(1, appId);
                        ps.setObject(2, oldestKept);
                        int n = ps.executeUpdate();
                        if (table.equals("rollup_days")) {
                            days = n;
                        }
                    }
                }
                c.commit();
                return days;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
