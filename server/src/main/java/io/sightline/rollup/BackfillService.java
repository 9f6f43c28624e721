package io.sightline.rollup;

import io.sightline.auth.AppSettings;
import io.sightline.funnel.FunnelDefinition;
import io.sightline.error.NotFound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.sightline.rollup.BackfillError.Reason.BACKFILL_RUNNING;
import static io.sightline.rollup.BackfillError.Reason.INVALID_VALUE;
import static io.sightline.rollup.BackfillError.Reason.RANGE_TOO_LONG;

/**
 * Re-rolls a range of days of one app in the background, one backfill at a time per app, and remembers the
 * progress of the latest {@link #REMEMBERED} backfills of this instance (in memory: a status is answered by the
 * instance that runs it). A finished range's late-event marks go with it ({@link #rollRange}), so readers take its
 * days from the rollups at once instead of after the next scheduled run.
 */
public final class BackfillService implements AutoCloseable {
    /** The longest range one request may name. */
    public static final int MAX_DAYS = 731;
    private static final int REMEMBERED = 200;
    private static final Logger log = LoggerFactory.getLogger(BackfillService.class);

    /** A backfill's progress as the API shows it. */
    public record Status(String id, long app, LocalDate from, LocalDate to, String state, int daysTotal,
                         int daysDone, Instant startedAt, Instant finishedAt, String error) {}

    private final DataSource dataSource;
    private final RollupService rollups;
    private final Clock clock;
    private final RetentionPolicy policy;
    private final RollupListener listener;
    private final LateMarks lateMarks;
    private final ExecutorService executor;
    private final Map<String, Status> statuses = new LinkedHashMap<>();

    public BackfillService(DataSource dataSource, RollupService rollups, Clock clock, RetentionPolicy policy,
                           RollupListener listener) {
        this.dataSource = dataSource;
        this.rollups = rollups;
        this.clock = clock;
        this.policy = policy;
        this.listener = listener;
        this.lateMarks = new LateMarks(dataSource);
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread t = new Thread(runnable, "rollup-backfill");
            t.setDaemon(true);
            return t;
        });
    }

    /** Told after each day of {@link #rollRange} is rolled. */
    public interface Progress {
        void dayRolled(RollupService.Result result, long nanos);
    }

    /**
     * Rolls the days [{@code from}, {@code to}] of {@code appId} in order (each month rebuilt once, with its last
     * day), then deletes the late-event marks that overlap only rolled days and were made before the first roll
     * read its day; a mark made or renewed after that stays for the scheduled job ({@link LateMarks}). Stops between
     * days when the thread is interrupted. Returns the number of days rolled.
     */
    public int rollRange(long appId, LocalDate from, LocalDate to, Progress progress) throws SQLException {
        ZoneId zone = ZoneId.of(app(appId).orElseThrow(NotFound::app).timeZone());
        var marks = lateMarks.read(appId, clock.instant());
        int done = 0;
        for (LocalDate day = from; !day.isAfter(to) && !Thread.currentThread().isInterrupted(); day = day.plusDays(1)) {
            long started = System.nanoTime();
            // Each month is rebuilt once, with its last day of the range, not with each of its days.
            LocalDate next = day.equals(to) ? null : day.plusDays(1);
            RollupService.Result result = rollups.rollUp(appId, day, RollupService.lastOfItsMonth(day, next));
            done++;
            progress.dayRolled(result, System.nanoTime() - started);
        }
        if (done > 0) {
            rollFunnelsReadingInto(appId, zone, from);
            lateMarks.clear(appId, LateMarks.within(marks, zone, from, from.plusDays(done - 1)));
        }
        return done;
    }

    /**
     * Rolls the funnel rows of the days before {@code from} whose chains run into it (V19: a day's rows read one
     * window past its end), so the marks cleared for the range leave none of them stale. Not days older than
     * what is kept (their events may be gone) and not before those rows are due.
     */
    private void rollFunnelsReadingInto(long appId, ZoneId zone, LocalDate from) throws SQLException {
        AppSettings.Settings app = app(appId).orElseThrow(NotFound::app);
        LocalDate oldest = policy.oldestRollableDay(clock.instant(), zone, app.retentionDays());
        Instant start = from.atStartOfDay(zone).toInstant();
        for (LocalDate day = from.minusDays(1); !day.isBefore(oldest)
                && day.plusDays(1).atStartOfDay(zone).toInstant().plus(FunnelDefinition.longestWindow()).isAfter(start);
             day = day.minusDays(1)) {
            if (rollups.funnelsDue(day, zone)) {
                rollups.rollUpFunnels(appId, day);
            }
        }
    }

    /** Validates the range against the app's finished and kept days and starts the backfill. */
    public Status start(long appId, LocalDate from, LocalDate to) throws SQLException {
        int days = validate(appId, from, to);
        Instant now = clock.instant();
        Status status;
        synchronized (statuses) {
            boolean running = statuses.values().stream()
                    .anyMatch(s -> s.app() == appId && (s.state().equals("queued") || s.state().equals("running")));
            if (running) {
                throw new BackfillError(BACKFILL_RUNNING, "a backfill of this app is still running", null);
            }
            status = new Status(UUID.randomUUID().toString(), appId, from, to, "queued", days, 0, now, null, null);
            put(status);
        }
        String id = status.id();
        executor.execute(() -> run(id));
        return status;
    }

    /**
     * The number of days in the range; a {@link io.sightline.error.NotFound} when the app does not exist, a
     * {@link BackfillError} naming the field when the range is reversed, longer than {@link #MAX_DAYS}, not
     * finished yet or older than what is kept.
     */
    public int validate(long appId, LocalDate from, LocalDate to) throws SQLException {
        AppSettings.Settings app = app(appId).orElseThrow(NotFound::app);
        Instant now = clock.instant();
        ZoneId zone = ZoneId.of(app.timeZone());
        LocalDate lastFinished = LocalDate.ofInstant(now.minus(policy.rollupDelay()), zone).minusDays(1);
        LocalDate oldest = policy.oldestRollableDay(now, zone, app.retentionDays());
        if (to.isAfter(lastFinished)) {
            throw new BackfillError(INVALID_VALUE, "to must be a finished day, at the latest " + lastFinished
                    + " in the app's time zone (" + zone + ")", "to");
        }
        if (from.isAfter(to)) {
            throw new BackfillError(INVALID_VALUE, "from must not be after to", "from");
        }
        if (from.isBefore(oldest)) {
            throw new BackfillError(INVALID_VALUE, "from must be " + oldest
                    + " or later: older events or stats are no longer kept", "from");
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_DAYS) {
            throw new BackfillError(RANGE_TOO_LONG, "a backfill covers at most " + MAX_DAYS + " days", "to");
        }
        return (int) days;
    }

    public Optional<Status> status(long appId, String id) {
        synchronized (statuses) {
            return Optional.ofNullable(statuses.get(id)).filter(s -> s.app() == appId);
        }
    }

    private void run(String id) {
        Status s = get(id);
        update(s = with(s, "running", 0, null, null));
        Status running = s;
        int done = 0;
        try {
            done = rollRange(s.app(), s.from(), s.to(), (result, nanos) -> {
                listener.dayRolled(result.events(), nanos);
                update(with(running, "running", (int) ChronoUnit.DAYS.between(running.from(), result.day()) + 1, null,
                        null));
            });
            if (done < s.daysTotal()) {
                update(with(s, "cancelled", done, clock.instant(), "the server stopped"));
            } else {
                update(with(s, "done", done, clock.instant(), null));
            }
        } catch (Exception e) {
            done = get(id).daysDone();
            log.error("Backfill {} of app {} failed after {} days", id, s.app(), done, e);
            update(with(s, "failed", done, clock.instant(), "rolling up " + s.from().plusDays(done)
                    + " failed; see the server log"));
        }
    }

    private static Status with(Status s, String state, int done, Instant finished, String error) {
        return new Status(s.id(), s.app(), s.from(), s.to(), state, s.daysTotal(), done, s.startedAt(), finished, error);
    }

    private Status get(String id) {
        synchronized (statuses) {
            return statuses.get(id);
        }
    }

    private void update(Status status) {
        synchronized (statuses) {
            statuses.put(status.id(), status);
        }
    }

    private void put(Status status) {
        statuses.put(status.id(), status);
        if (statuses.size() > REMEMBERED) {
            statuses.entrySet().stream()
                    .filter(e -> !e.getValue().state().equals("queued") && !e.getValue().state().equals("running"))
                    .findFirst().map(Map.Entry::getKey).ifPresent(statuses::remove);
        }
    }

    private Optional<AppSettings.Settings> app(long appId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return AppSettings.byId(c, appId);
        }
    }

    /** Interrupts running backfills (they stop between days; each day is one transaction) and waits briefly. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
