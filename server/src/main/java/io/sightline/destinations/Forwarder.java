package io.sightline.destinations;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Forwards stored events to their destinations: a dispatcher thread takes new events from the outbox, and a retry
 * thread takes the deliveries whose next attempt is due. Each pass runs in one transaction that claims its rows
 * ({@code FOR UPDATE SKIP LOCKED}), sends, records the outcomes and deletes what it handled, so several instances
 * share the work and a crash only causes a re-send of the claimed rows, with the same dedup keys.
 *
 * <p>Nothing here touches ingestion: the writer only inserts outbox rows; a destination that is slow or down
 * delays this thread alone, and is paused (see {@link DeliveryPass}) so that it cannot hold up the others for long.
 */
public final class Forwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    /** Where the enabled destinations come from ({@link DestinationStore#enabled()}). */
    public interface EnabledDestinations {
        List<ActiveDestination> enabled() throws SQLException;
    }

    /** The knobs, with the defaults the README documents. */
    public record Settings(int claimSize, Duration idlePoll, Duration sendTimeout, int maxAttempts,
                           Duration keepFinished) {
        public static Settings defaults() {
            return new Settings(1000, Duration.ofMillis(100), Duration.ofSeconds(30), 20, Duration.ofDays(30));
        }
    }

    /** Events per ingest commit from which forwarding steps back: a writer that keeps up commits a few at a time. */
    static final int YIELD_LOAD = 100;
    private static final Duration YIELD_PAUSE = Duration.ofMillis(20);
    private static final Duration MAX_YIELD = Duration.ofSeconds(10);

    private final IntSupplier ingestLoad;
    private final DataSource dataSource;
    private final EnabledDestinations destinations;
    private final Map<DestinationType, Platform> platforms;
    private final OutboxStore outbox;
    private final DeliveryStore deliveries;
    private final DeliveryListener listener;
    private final Clock clock;
    private final Settings settings;
    /** Runs one destination's part of a pass (it waits on its platform calls, so it must not run them). */
    private final ExecutorService senders = Executors.newFixedThreadPool(8, daemon("forward-send"));
    /**
     * Runs the platform calls, each waited for at most the send timeout. A pool of its own: on the one above, eight
     * destinations with work would take every thread and their calls would queue behind them until the timeout.
     */
    private final ExecutorService calls = Executors.newCachedThreadPool(daemon("forward-call"));
    private final DeliveryPass pass;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private Instant lastHousekeeping = Instant.EPOCH;

    public Forwarder(DataSource dataSource, EnabledDestinations destinations,
                     Map<DestinationType, Platform> platforms, DeliveryStore deliveries, Backoff backoff,
                     DeliveryListener listener, Clock clock, Settings settings, ObjectMapper mapper,
                     ClientDataCipher clientData, IntSupplier ingestLoad) {
        this.ingestLoad = ingestLoad;
        this.dataSource = dataSource;
        this.destinations = destinations;
        this.platforms = Map.copyOf(platforms);
        this.outbox = new OutboxStore(new EventColumns(mapper));
        this.deliveries = deliveries;
        this.listener = listener;
        this.clock = clock;
        this.settings = settings;
        this.pass = new DeliveryPass(calls, settings.sendTimeout(), backoff, settings.maxAttempts(), deliveries,
                clientData);
    }

    public void start() {
        running = true;
        threads.add(loop("forward-dispatch", this::dispatchOnce, settings.idlePoll()));
        // Retries are due at backoff times of seconds and more: looking ten times less often is soon enough.
        threads.add(loop("forward-retry", this::retryOnce, settings.idlePoll().multipliedBy(10)));
        threads.forEach(Thread::start);
    }

    /** Stops taking work; a pass in flight finishes (or its transaction rolls back and the rows are taken again). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(35));
        }
        senders.shutdownNow();
        calls.shutdownNow();
    }

    /** One pass over new events; returns how many outbox rows it handled (0 when idle). */
    int dispatchOnce() throws SQLException, InterruptedException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<OutboxStore.Claimed> rows = outbox.claimNew(c, settings.claimSize());
                if (rows.isEmpty()) {
                    c.commit();
                    return 0;
                }
                Map<ActiveDestination, List<OutboxStore.Claimed>> work = new LinkedHashMap<>();
                // Read afresh on every pass with work: the rows were queued by the rules of the destinations enabled
                // when they were committed, so a pass must see at least those (a cached list could miss a new one).
                for (ActiveDestination d : destinations.enabled()) {
                    List<OutboxStore.Claimed> wanted = rows.stream().filter(r -> wants(d, r)).toList();
                    if (!wanted.isEmpty() && platforms.containsKey(d.type())) {
                        work.put(d, wanted);
                    }
                }
                deliver(c, work, false, now);
                outbox.deleteNew(c, rows);
                c.commit();
                return rows.size();
            } catch (SQLException | RuntimeException | InterruptedException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** One pass over due retries of every destination; returns how many it handled. */
    int retryOnce() throws SQLException, InterruptedException {
        Instant now = clock.instant();
        int handled = 0;
        List<ActiveDestination> active = destinations.enabled();
        housekeeping(active, now);
        for (ActiveDestination d : active) {
            Platform platform = platforms.get(d.type());
            if (platform == null || pass.paused(d.id(), now)) {
                continue;
            }
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    List<OutboxStore.Claimed> rows = outbox.claimDue(c, d.id(), now, platform.maxBatch());
                    List<OutboxStore.Claimed> gone = rows.stream().filter(r -> r.event() == null).toList();
                    for (OutboxStore.Claimed r : gone) {
                        deliveries.delete(c, d.id(), r.eventId()); // erased or past retention: nothing left to send
                    }
                    List<OutboxStore.Claimed> live = rows.stream().filter(r -> r.event() != null).toList();
                    if (!live.isEmpty()) {
                        deliver(c, Map.of(d, live), true, now);
                    }
                    c.commit();
                    handled += rows.size();
                } catch (SQLException | RuntimeException | InterruptedException e) {
                    c.rollback();
                    throw e;
                }
            }
        }
        return handled;
    }

    private void deliver(Connection c, Map<ActiveDestination, List<OutboxStore.Claimed>> work, boolean retrying,
                         Instant now) throws SQLException, InterruptedException {
        Map<ActiveDestination, Future<List<DeliveryPass.Result>>> sent = new LinkedHashMap<>();
        for (var e : work.entrySet()) {
            Platform platform = platforms.get(e.getKey().type());
            sent.put(e.getKey(), senders.submit(() -> pass.send(platform, e.getKey(), e.getValue(), now)));
        }
        for (var e : sent.entrySet()) {
            ActiveDestination d = e.getKey();
            List<DeliveryPass.Result> results;
            try {
                results = e.getValue().get();
            } catch (java.util.concurrent.ExecutionException ex) {
                throw new IllegalStateException("sending to destination " + d.id() + " failed", ex.getCause());
            }
            DeliveryStore.Tally t = pass.apply(c, d, platforms.get(d.type()).window(), results, retrying, now);
            deliveries.count(c, d.id(), now, t);
            listener.outcomes(d.id(), d.type(), t.delivered, t.retried, t.failed, t.dead, t.expired, t.skipped);
        }
    }

    /** Whether {@code d} wants the claimed event: same app, a rule for it, and the consent its platform needs. */
    private static boolean wants(ActiveDestination d, OutboxStore.Claimed r) {
        StoredEvent e = r.event();
        return e != null && e.appId() == d.appId() && d.ruleFor(e.eventType(), e.eventName()) != null
                && (!d.type().advertising() || e.consentAds());
    }

    /** Once a minute: the lag gauges, and finished rows past their keeping time. */
    private void housekeeping(List<ActiveDestination> active, Instant now) throws SQLException {
        if (Duration.between(lastHousekeeping, now).compareTo(Duration.ofMinutes(1)) < 0) {
            return;
        }
        lastHousekeeping = now;
        Map<Long, Instant> oldest = deliveries.oldestPending();
        for (ActiveDestination d : active) {
            Instant since = oldest.get(d.id());
            listener.lag(d.id(), d.type(), since == null ? Duration.ZERO : Duration.between(since, now));
            Platform platform = platforms.get(d.type());
            if (platform != null) {
                expire(d, platform, now);
            }
        }
        int pruned = deliveries.prune(now.minus(settings.keepFinished()));
        if (pruned > 0) {
            log.info("Deleted {} finished deliveries (dead, expired, skipped) older than {}", pruned,
                    settings.keepFinished());
        }
    }

    /** Pending deliveries of events now older than the platform takes: expired, with the reason. */
    private void expire(ActiveDestination d, Platform platform, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int expired = deliveries.expire(c, d.id(), now.minus(platform.window()), now,
                    "older than " + d.type().wireName() + "'s window of " + DeliveryPass.describe(platform.window())
                            + " before it could be delivered");
            if (expired > 0) {
                DeliveryStore.Tally t = new DeliveryStore.Tally();
                t.expired = expired;
                deliveries.count(c, d.id(), now, t);
                listener.outcomes(d.id(), d.type(), 0, 0, 0, 0, expired, 0);
            }
            c.commit();
        }
    }

    private interface Pass {
        int run() throws SQLException, InterruptedException;
    }

    /**
     * Whether to leave the machine to ingestion for now: its commits carry a backlog ({@link #YIELD_LOAD} events or
     * more each, smoothed) and this loop last ran less than {@link #MAX_YIELD} ago. Forwarding shares the cores
     * and the database with ingestion; under a burst it steps back and afterwards catches up from the outbox, where
     * nothing is lost. The floor of one pass per {@link #MAX_YIELD} keeps a saturated server forwarding, slowly.
     */
    private boolean yieldToIngestion(long lastRunNanos) {
        return ingestLoad.getAsInt() >= YIELD_LOAD && System.nanoTime() - lastRunNanos < MAX_YIELD.toNanos();
    }

    private Thread loop(String name, Pass pass, Duration idle) {
        Thread t = new Thread(() -> {
            Duration wait = settings.idlePoll();
            long lastRun = System.nanoTime();
            while (running) {
                try {
                    if (yieldToIngestion(lastRun)) {
                        Thread.sleep(YIELD_PAUSE.toMillis());
                        continue;
                    }
                    lastRun = System.nanoTime();
                    int handled = pass.run();
                    if (handled == 0) {
                        Thread.sleep(idle.toMillis());
                    }
                    wait = settings.idlePoll();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    log.warn("{} failed, trying again in {} ms: {}", name, wait.toMillis(), e.toString());
                    try {
                        Thread.sleep(wait.toMillis());
                    } catch (InterruptedException ie) {
                        return;
                    }
                    wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait.multipliedBy(2);
                }
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
