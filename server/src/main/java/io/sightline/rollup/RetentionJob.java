package io.sightline.rollup;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.sightline.store.PartitionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Daily retention. (1) Drops whole monthly partitions of {@code analytics_events} whose month ended more than
 * the server's retention and every app's {@code retention_days} ago, never one an accepted event could still fall
 * into (the backfill window); they are detached CONCURRENTLY first, which does not block inserts into the other
 * partitions. (2) For an app with a shorter {@code retention_days}, deletes its older events by primary key in
 * batches of {@link #DELETE_BATCH}, one short transaction each, so ingestion (which only inserts recent rows) never
 * waits on it. (3) With SIGHTLINE_STATS_RETENTION_DAYS set, deletes older daily stats with their
 * {@code rollup_days} rows. (4) Deletes the {@code event_keys} no retry can meet any more, in batches of
 * {@link #KEY_BATCH}.
 */
public final class RetentionJob {
    public static final String TASK_NAME = "sightline-retention";
    static final int DELETE_BATCH = 5_000;
    /** Keys are narrow rows with one index entry each: a batch this size is a transaction of well under a second. */
    static final int KEY_BATCH = 50_000;
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    private static final Pattern PARTITION = Pattern.compile("analytics_events_p(\\d{4})_(\\d{2})");
    private static final String DELETE_OLD_EVENTS = "DELETE FROM analytics_events e USING ("
            + "SELECT app_id, event_id, occurred_at FROM analytics_events WHERE app_id = ? AND occurred_at < ? LIMIT "
            + DELETE_BATCH + ") old WHERE e.app_id = ? AND e.occurred_at < ?"
            + " AND e.app_id = old.app_id AND e.event_id = old.event_id AND e.occurred_at = old.occurred_at";

    /** Found through the BRIN index on received_at, then deleted by row address. */
    private static final String DELETE_OLD_KEYS = "DELETE FROM event_keys WHERE ctid = ANY (ARRAY("
            + "SELECT ctid FROM event_keys WHERE received_at < ? LIMIT " + KEY_BATCH + "))";

    /** What one run did. */
    public record Run(List<String> droppedPartitions, long eventsDeleted, long statsDaysDeleted, long keysDeleted) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final RetentionPolicy policy;

    public RetentionJob(DataSource dataSource, Clock clock, RetentionPolicy policy) {
        this.dataSource = dataSource;
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
        List<AppZones.AppInfo> apps;
        try (Connection c = dataSource.getConnection()) {
            apps = AppZones.all(c);
        }
        int keptDays = policy.partitionRetentionDays(apps.stream().map(AppZones.AppInfo::retentionDays).toList());
        List<String> dropped = dropPartitions(now, keptDays);
        long events = 0;
        long statsDays = 0;
        for (AppZones.AppInfo app : apps) {
            ZoneId zone = ZoneId.of(app.timeZone());
            if (app.retentionDays() < keptDays) {
                Instant cutoff = policy.oldestEventDay(now, zone, app.retentionDays()).atStartOfDay(zone).toInstant();
                events += deleteEvents(app.id(), cutoff);
            }
            if (policy.statsRetentionDays() > 0) {
                statsDays += deleteStats(app.id(), policy.oldestStatsDay(now, zone));
            }
        }
        return new Run(dropped, events, statsDays, deleteKeys(policy.oldestKeyKept(now)));
    }

    /** Months whose end is more than {@code keptDays}, and more than the backfill window, before {@code now}. */
    boolean expired(YearMonth month, Instant now, int keptDays) {
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return end.isBefore(now.minus(Duration.ofDays(keptDays))) && end.isBefore(now.minus(policy.backfillWindow()));
    }

    private List<String> dropPartitions(Instant now, int keptDays) throws SQLException {
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
                if (!name.equals(table.name()) || !expired(month, now, keptDays)) {
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    if (table.attached()) {
                        s.execute("ALTER TABLE analytics_events DETACH PARTITION " + name
                                + (table.detachPending() ? " FINALIZE" : " CONCURRENTLY"));
                    }
                    s.execute("DROP TABLE IF EXISTS " + name);
                }
                log.info("Dropped event partition {} (retention {} days)", name, keptDays);
                dropped.add(name);
            }
        }
        return dropped;
    }

    private record PartitionTable(String name, boolean attached, boolean detachPending) {}

    /** Partitions of analytics_events, and tables left by a detach that was interrupted before the drop. */
    private static List<PartitionTable> partitions(Connection c) throws SQLException {
        String sql = "SELECT t.relname, i.inhrelid IS NOT NULL, coalesce(i.inhdetachpending, false) FROM pg_class t"
                + " LEFT JOIN pg_inherits i ON i.inhrelid = t.oid"
                + " WHERE t.relkind = 'r' AND t.relnamespace = current_schema()::regnamespace"
                + " AND t.relname LIKE 'analytics\\_events\\_p%' AND (i.inhparent IS NULL OR i.inhparent = 'analytics_events'::regclass)"
                + " ORDER BY t.relname";
        List<PartitionTable> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(new PartitionTable(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3)));
            }
        }
        return tables;
    }

    private long deleteEvents(long appId, Instant cutoff) throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE_OLD_EVENTS)) {
            c.setAutoCommit(true);
            Timestamp before = Timestamp.from(cutoff);
            while (true) {
                ps.setLong(1, appId);
                ps.setTimestamp(2, before);
                ps.setLong(3, appId);
                ps.setTimestamp(4, before);
                int n = ps.executeUpdate();
                total += n;
                if (n < DELETE_BATCH) {
                    break;
                }
            }
        }
        if (total > 0) {
            log.info("Deleted {} events of app {} older than {}", total, appId, cutoff);
        }
        return total;
    }

    private long deleteKeys(Instant before) throws SQLException {
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

    /** Deletes an app's stats of days before {@code oldestKept}, in one transaction; returns the days removed. */
    private long deleteStats(long appId, LocalDate oldestKept) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long days = 0;
                // A month whose first day is gone is no longer whole: its monthly rows go with it.
                for (String table : List.of("rollup_days", "analytics_daily_stats", "analytics_daily_values",
                        "rollup_months", "analytics_monthly_stats", "analytics_monthly_values")) {
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
