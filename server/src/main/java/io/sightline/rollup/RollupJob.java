package io.sightline.rollup;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.sightline.auth.AppSettings;
import io.sightline.funnel.FunnelDefinition;
import io.sightline.store.EventTable;
import io.sightline.store.LateMarkStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scheduled rollup. Per app: rolls every finished local day (ended at least {@code delay} ago) that has no
 * {@code rollup_days} row, from the app's first event day (or the oldest day still kept, whichever is later) to
 * yesterday (a day rolled in another time zone than the app's current one counts as not rolled); then re-rolls the
 * finished local days overlapping each late-event mark; then rolls the days in progress up to a few minutes ago
 * (partial days, V11__rollup_days_so_far.sql); and deletes the marks it read.
 *
 * <p>A mark is deleted only if it still has the {@code marked_at} read at the start of the run ({@link LateMarks}).
 * Every deleted mark has marked_at no later than the run's start.
 *
 * <p>Run by db-scheduler as a recurring task, so with several servers on one database one runs it at a time.
 */
public final class RollupJob {
    public static final String TASK_NAME = "sightline-rollup";
    private static final Logger log = LoggerFactory.getLogger(RollupJob.class);

    /** What one run did. */
    public record Run(int daysRolled, int marksCleared) {}

    private final DataSource dataSource;
    private final RollupService rollups;
    private final Clock clock;
    private final RetentionPolicy retention;
    private final RollupListener listener;
    private final LateMarks lateMarks;

    public RollupJob(DataSource dataSource, RollupService rollups, Clock clock, RetentionPolicy retention,
                     RollupListener listener) {
        this.dataSource = dataSource;
        this.rollups = rollups;
        this.clock = clock;
        this.retention = retention;
        this.listener = listener;
        this.lateMarks = new LateMarks(dataSource);
    }

    /** The recurring task: runs every {@code interval}, logs any failure and keeps the schedule. */
    public RecurringTask<Void> task(Duration interval) {
        return Tasks.recurring(TASK_NAME, Schedules.fixedDelay(interval)).execute((instance, context) -> runLogged());
    }

    void runLogged() {
        long started = System.nanoTime();
        boolean failed = false;
        try {
            Run run = run();
            if (run.daysRolled() > 0 || run.marksCleared() > 0) {
                log.info("Rolled up {} days and cleared {} late-event marks in {} ms", run.daysRolled(),
                        run.marksCleared(), (System.nanoTime() - started) / 1_000_000);
            }
        } catch (Exception | Error e) {
            failed = true;
            log.error("The rollup job failed; the next run tries again", e);
        } finally {
            listener.jobRun(System.nanoTime() - started, failed);
        }
    }

    /** One pass over every app; an app that fails is logged and the others still run. */
    public Run run() throws SQLException {
        Instant start = clock.instant();
        List<AppSettings.Settings> apps;
        try (Connection c = dataSource.getConnection()) {
            apps = AppSettings.all(c);
        }
        int days = 0;
        int marks = 0;
        for (AppSettings.Settings app : apps) {
            try {
                Run run = runApp(app, start);
                days += run.daysRolled();
                marks += run.marksCleared();
            } catch (SQLException | RuntimeException e) {
                log.error("Rolling up app {} failed; the next run tries again", app.id(), e);
            }
        }
        return new Run(days, marks);
    }

    private Run runApp(AppSettings.Settings app, Instant start) throws SQLException {
        ZoneId zone = ZoneId.of(app.timeZone());
        LocalDate lastFinished = lastFinishedDay(start, zone);
        LocalDate oldestKept = retention.oldestRollableDay(start, zone, app.retentionDays());
        // Read before any roll of this run, so every roll that lets a mark go read its day after the mark was read.
        List<LateMarkStore.Mark> marks = lateMarks.read(app.id(), start);
        Set<LocalDate> rolled = new HashSet<>();
        Instant firstEvent = firstEvent(app.id());
        if (firstEvent != null) {
            LocalDate from = max(LocalDate.ofInstant(firstEvent, zone), oldestKept);
            Set<LocalDate> done = rolledDays(app.id(), app.timeZone(), from, lastFinished);
            List<LocalDate> missing = new ArrayList<>();
            for (LocalDate day = from; !day.isAfter(lastFinished); day = day.plusDays(1)) {
                if (!done.contains(day)) {
                    missing.add(day);
                }
            }
            rollUp(app.id(), missing);
            rolled.addAll(missing);
        }
        Set<LocalDate> dirty = new TreeSet<>();
        for (LateMarkStore.Mark mark : marks) {
            dirty.addAll(LateMarks.overlapping(mark.utcDay(), zone));
        }
        List<LocalDate> again = new ArrayList<>();
        for (LocalDate day : dirty) {
            if (!day.isAfter(lastFinished) && !day.isBefore(oldestKept) && !rolled.contains(day)) {
                again.add(day);
            }
        }
        rollUp(app.id(), again);
        rolled.addAll(again);
        if (firstEvent != null) {
            rollFunnels(app, zone, marks, rolled, max(LocalDate.ofInstant(firstEvent, zone), oldestKept), lastFinished);
        }
        if (firstEvent != null) {
            rollSoFar(app, zone, start, lastFinished.plusDays(1), oldestKept);
        }
        // A multi-day roll stopped between a month's days and its last one leaves the month cleared: build it.
        rollups.rebuildMissingMonths(app.id());
        return new Run(rolled.size(), lateMarks.clear(app.id(), marks));
    }

    /**
     * Rolls the funnel rows (V19) that a whole-day roll could not write or that a late event made stale: of the
     * rolled days in [{@code from}, {@code lastFinished}] that lack them (not due when their day was rolled, or
     * rolled before V19), and of the days whose rows read a marked UTC date (a late event on day E also changes
     * the rows of the day before, whose chains run into E). Only once due ({@link RollupService#funnelsDue}).
     */
    private void rollFunnels(AppSettings.Settings app, ZoneId zone, List<LateMarkStore.Mark> marks,
                             Set<LocalDate> rolled, LocalDate from, LocalDate lastFinished) throws SQLException {
        Set<LocalDate> days = new TreeSet<>(funnelsMissing(app.id(), zone, from, lastFinished));
        for (LateMarkStore.Mark mark : marks) {
            days.addAll(LateMarks.funnelDaysReading(mark.utcDay(), zone, FunnelDefinition.longestWindow()));
        }
        for (LocalDate day : days) {
            if (!day.isBefore(from) && !day.isAfter(lastFinished) && !rolled.contains(day)
                    && rollups.funnelsDue(day, zone)) {
                rollups.rollUpFunnels(app.id(), day);
            }
        }
    }

    /** The whole days rolled in {@code zone} that lack funnel rows of some rolled definition. */
    private List<LocalDate> funnelsMissing(long appId, ZoneId zone, LocalDate from, LocalDate to) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT d.day FROM rollup_days d WHERE d.app_id = ? AND d.time_zone = ? AND d.until IS NULL"
                        + " AND d.day BETWEEN ? AND ? AND (SELECT count(*) FROM analytics_daily_funnels f"
                        + " WHERE f.app_id = d.app_id AND f.day = d.day AND f.level = 1 AND f.time_zone = d.time_zone"
                        + " AND f.definition = ANY(?)) < ? ORDER BY d.day")) {
            ps.setLong(1, appId);
            ps.setString(2, zone.getId());
            ps.setObject(3, from);
            ps.setObject(4, to);
            ps.setArray(5, c.createArrayOf("text",
                    FunnelDefinition.ROLLED.stream().map(FunnelDefinition::name).toArray(String[]::new)));
            ps.setInt(6, FunnelDefinition.ROLLED.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(rs.getObject(1, LocalDate.class));
                }
            }
        }
        return days;
    }

    /**
     * Rolls the days not yet finished (today, and yesterday within the delay after midnight) up to
     * {@link #soFar(Instant)}, so that readers take only their last minutes raw. Done on every run after the marks
     * were read, so a late event marked before the run is in the new rows and its mark may go.
     */
    private void rollSoFar(AppSettings.Settings app, ZoneId zone, Instant start, LocalDate firstUnfinished,
                           LocalDate oldestKept) throws SQLException {
        Instant until = soFar(start);
        for (LocalDate day = max(firstUnfinished, oldestKept); !day.isAfter(LocalDate.ofInstant(start, zone));
             day = day.plusDays(1)) {
            Instant dayStart = day.atStartOfDay(zone).toInstant();
            Instant dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant();
            if (until.isAfter(dayStart)) {
                rollups.rollUpSoFar(app.id(), day, until.isBefore(dayEnd) ? until : dayEnd);
            }
        }
    }

    /**
     * Until when a day in progress is rolled: the rollup delay (and one more minute, for a batch whose commit is
     * under way) before {@code now}, to the minute. An event older than the delay when it is stored is marked late,
     * so one stored after the roll with a time before this instant is marked, and its day is read raw until the
     * next run rolls it again.
     */
    Instant soFar(Instant now) {
        return now.minus(retention.rollupDelay()).minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MINUTES);
    }

    /** The last local day that ended at least the rollup delay before {@code now}. */
    LocalDate lastFinishedDay(Instant now, ZoneId zone) {
        return LocalDate.ofInstant(now.minus(retention.rollupDelay()), zone).minusDays(1);
    }

    /** Rolls {@code days} (ascending), each month rebuilt once, with its last listed day. */
    private void rollUp(long appId, List<LocalDate> days) throws SQLException {
        for (int i = 0; i < days.size(); i++) {
            LocalDate day = days.get(i);
            long started = System.nanoTime();
            RollupService.Result result = rollups.rollUp(appId, day,
                    RollupService.lastOfItsMonth(day, i + 1 < days.size() ? days.get(i + 1) : null));
            listener.dayRolled(result.events(), System.nanoTime() - started);
        }
    }

    private Instant firstEvent(long appId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT min(occurred_at) FROM " + EventTable.NAME + " WHERE app_id = ?")) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp first = rs.getTimestamp(1);
                return first == null ? null : first.toInstant();
            }
        }
    }

    /** Days rolled in the app's current time zone: after a change of zone, every kept day is rolled again. */
    private Set<LocalDate> rolledDays(long appId, String timeZone, LocalDate from, LocalDate to) throws SQLException {
        Set<LocalDate> days = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT day FROM rollup_days WHERE app_id = ? AND time_zone = ? AND day BETWEEN ? AND ? AND until IS NULL")) {
            ps.setLong(1, appId);
            ps.setString(2, timeZone);
            ps.setObject(3, from);
            ps.setObject(4, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(rs.getObject(1, LocalDate.class));
                }
            }
        }
        return days;
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }
}
