package io.sightline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.auth.AdminTokenStore;
import io.sightline.auth.ApiTokenHandler;
import io.sightline.auth.ApiTokenStore;
import io.sightline.auth.AppAdminHandler;
import io.sightline.auth.AppStore;
import io.sightline.auth.Bootstrap;
import io.sightline.auth.WriteKeyAuthenticator;
import io.sightline.config.Config;
import io.sightline.enrich.DailySalts;
import io.sightline.enrich.DeviceResolver;
import io.sightline.enrich.GeoLocator;
import io.sightline.enrich.SaltStore;
import io.sightline.event.EventValidator;
import io.sightline.event.ValidationLimits;
import io.sightline.http.Authorizer;
import io.sightline.http.HttpServer;
import io.sightline.http.Json;
import io.sightline.http.OpenApiHandler;
import io.sightline.http.Routes;
import io.sightline.ingest.ClientIpResolver;
import io.sightline.ingest.IngestHandler;
import io.sightline.ingest.IngestService;
import io.sightline.ingest.Pipeline;
import io.sightline.ops.Lifecycle;
import io.sightline.ops.Metrics;
import io.sightline.ops.OpsHandler;
import io.sightline.ops.Readiness;
import io.sightline.privacy.PrivacyHandler;
import io.sightline.privacy.PrivacyService;
import io.sightline.privacy.PrivacyStore;
import io.sightline.rollup.BackfillService;
import io.sightline.rollup.JobScheduler;
import io.sightline.rollup.RetentionJob;
import io.sightline.rollup.RetentionPolicy;
import io.sightline.rollup.RollupCommand;
import io.sightline.rollup.RollupHandler;
import io.sightline.rollup.RollupJob;
import io.sightline.rollup.RollupListener;
import io.sightline.rollup.RollupService;
import io.sightline.stats.BreakdownService;
import io.sightline.stats.DamagedRollups;
import io.sightline.stats.EventExport;
import io.sightline.stats.ExportHandler;
import io.sightline.stats.FunnelHandler;
import io.sightline.stats.FunnelService;
import io.sightline.stats.JooqRunner;
import io.sightline.stats.RealtimeService;
import io.sightline.stats.StatsHandler;
import io.sightline.stats.StatsQueryParser;
import io.sightline.stats.SummaryService;
import io.sightline.stats.TimeseriesService;
import io.sightline.store.Database;
import io.sightline.store.EmbeddedDatabase;
import io.sightline.store.EventWriter;
import io.sightline.store.LateEventMarks;
import io.sightline.store.PartitionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds every part by constructor, starts them in order and stops them in reverse.
 * Stopping drains: readiness turns false and new events get 503, everything queued is committed and
 * answered while the listener stays open for a short drain, then HTTP stops gracefully, then the rest.
 */
public final class Sightline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sightline.class);
    /** A funnel reads raw events; past this it is cancelled rather than hold a pooled connection. */
    private static final int FUNNEL_TIMEOUT_SECONDS = 30;

    private final Config config;
    private final EmbeddedDatabase embedded;
    private final Database database;
    private final EventWriter writer;
    private final ExecutorService responses;
    private final ScheduledExecutorService upkeep;
    private final Lifecycle lifecycle;
    private final HttpServer http;
    private final Bootstrap.Created created;
    private final GeoLocator geo;
    private final DeviceResolver devices;
    private final JobScheduler jobs;
    private final BackfillService backfills;
    private boolean stopped;

    private Sightline(Config config, EmbeddedDatabase embedded, Database database, EventWriter writer,
                      ExecutorService responses, ScheduledExecutorService upkeep, Lifecycle lifecycle, HttpServer http,
                      Bootstrap.Created created, GeoLocator geo, DeviceResolver devices, JobScheduler jobs,
                      BackfillService backfills) {
        this.config = config;
        this.embedded = embedded;
        this.database = database;
        this.writer = writer;
        this.responses = responses;
        this.upkeep = upkeep;
        this.lifecycle = lifecycle;
        this.http = http;
        this.created = created;
        this.geo = geo;
        this.devices = devices;
        this.jobs = jobs;
        this.backfills = backfills;
    }

    public static Sightline start(Config config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    public static Sightline start(Config config, Clock clock) throws Exception {
        // What has started so far; a start that fails halfway stops it in reverse, leaving no pool, thread or port.
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            return build(config, clock, started);
        } catch (Exception | Error e) {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static Sightline build(Config config, Clock clock, Deque<AutoCloseable> started) throws Exception {
        // Yauaa takes seconds to build: do it while PostgreSQL starts. HTTP (and so readiness) comes after both.
        CompletableFuture<DeviceResolver> devices = EnrichmentParts.deviceDetection(config.enrich());
        started.push(() -> devices.thenAccept(DeviceResolver::close));
        GeoLocator geo = EnrichmentParts.geoLocator(config.enrich());
        started.push(geo);
        Storage storage = openStorage(config);
        EmbeddedDatabase embedded = storage.embedded();
        Database database = storage.database();
        started.push(() -> closeQuietly(embedded));
        started.push(database);

        Metrics metrics = new Metrics();
        ObjectMapper mapper = Json.mapper();
        Config.Ingest ingestConfig = config.ingest();

        PartitionManager partitions = new PartitionManager(database.dataSource(), clock, ingestConfig.backfillWindow());
        partitions.ensureAhead();
        ScheduledExecutorService upkeep = Executors.newSingleThreadScheduledExecutor(daemon("upkeep"));
        started.push(upkeep::shutdownNow);
        hourly(upkeep, "Creating upcoming event partitions", partitions::ensureAhead);

        AppStore apps = new AppStore(database.dataSource());
        AdminTokenStore adminTokens = new AdminTokenStore(database.dataSource());
        Bootstrap.Created created = new Bootstrap(database.dataSource(), apps, adminTokens, config.rollup().retentionDays()).run();
        WriteKeyAuthenticator writeKeys = new WriteKeyAuthenticator(apps, clock, Duration.ofSeconds(10));
        DailySalts salts = new DailySalts(new SaltStore(database.dataSource()), clock, config.enrich().saltRetention());
        salts.rotate();
        hourly(upkeep, "Rotating the visitor salts", salts::rotate);
        DeviceResolver deviceResolver = devices.join();
        metrics.userAgentLookups(deviceResolver.lookupCounts());
        metrics.geoipLookups(geo.lookupCounts());
        Pipeline pipeline = new Pipeline(
                new EventValidator(new ValidationLimits(ingestConfig.backfillWindow(), ingestConfig.futureTolerance()), clock),
                EnrichmentParts.enricher(config.enrich()), metrics);
        log.info("Ingestion pipeline: {}", String.join(" -> ", pipeline.stepNames()));

        EventWriter writer = new EventWriter(database, partitions,
                config.writer().queueCapacityEvents(), config.writer().maxEventsPerCommit(), config.writer().threads(), metrics,
                new LateEventMarks(clock, config.rollup().delay()));
        metrics.queueDepth(writer::queuedEvents);
        writer.start();
        started.push(() -> writer.drain(config.http().shutdownTimeout()));

        // Rollups and retention: db-scheduler runs each job on one instance at a time.
        RetentionPolicy retention = retentionPolicy(config);
        RollupService rollups = new RollupService(database.dataSource(), clock);
        BackfillService backfills = new BackfillService(database.dataSource(), rollups, clock, retention, metrics);
        started.push(backfills);
        JobScheduler jobs = null;
        if (config.rollup().jobs()) {
            jobs = new JobScheduler(database.dataSource(), clock, Duration.ofSeconds(10), List.of(
                    new RollupJob(database.dataSource(), rollups, clock, retention, metrics).task(config.rollup().interval()),
                    new RetentionJob(database.dataSource(), clock, retention).task()));
            started.push(jobs);
            jobs.start();
        } else {
            log.info("Scheduled rollup and retention jobs are off on this instance (SIGHTLINE_JOBS=false)");
        }

        // Answers go out from here after their commit. A hand-off refused because the pool has stopped (only
        // possible when Jetty's graceful stop timed out) runs on the caller: an answer is never lost or a 500.
        ExecutorService responses = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                daemon("ingest-response"), (answer, stoppedPool) -> answer.run());
        started.push(responses::shutdownNow);
        Lifecycle lifecycle = new Lifecycle();
        IngestService ingest = new IngestService(pipeline, deviceResolver, geo, responses, salts, writer,
                new ClientIpResolver(ingestConfig.trustedProxies()), clock, metrics, ingestConfig.ackTimeout());
        // Stats API: read-only API tokens and the stats endpoints.
        ApiTokenStore apiTokens = new ApiTokenStore(database.dataSource(), clock);
        StatsQueryParser statsParams = new StatsQueryParser(clock);
        JooqRunner statsDb = new JooqRunner(database.dataSource(), 30);
        DamagedRollups damagedRollups = new DamagedRollups();
        StatsHandler stats = new StatsHandler(apps, statsParams, new SummaryService(statsDb, damagedRollups),
                new TimeseriesService(statsDb, damagedRollups), new BreakdownService(statsDb, damagedRollups),
                new RealtimeService(statsDb, clock));

        IngestHandler ingestHandler = new IngestHandler(ingest, mapper, ingestConfig, responses);
        AppAdminHandler appHandler = new AppAdminHandler(apps, writeKeys, mapper, config.rollup().retentionDays());
        PrivacyHandler privacyHandler = new PrivacyHandler(
                new PrivacyService(new PrivacyStore(database.dataSource()), apps, clock), mapper);
        RollupHandler rollupHandler = new RollupHandler(backfills, mapper);
        ApiTokenHandler apiTokenHandler = new ApiTokenHandler(apiTokens, apps, mapper);
        OpsHandler opsHandler = new OpsHandler(new Readiness(lifecycle, database, writer, clock), metrics);
        OpenApiHandler openApiHandler = new OpenApiHandler();
        FunnelHandler funnelHandler = new FunnelHandler(new FunnelService(apps, statsParams, database.dataSource(),
                FUNNEL_TIMEOUT_SECONDS, FunnelService.readerPool(daemon("funnel-reader"))));
        ExportHandler exportHandler = new ExportHandler(new EventExport(apps, statsParams, database.dataSource()));
        // The route table, in the order it reads; each feature declares its routes and who may call them.
        List<Routes> routes = List.of(
                ingestHandler::routes,
                appHandler::routes,
                privacyHandler::routes,
                rollupHandler::routes,
                apiTokenHandler::routes,
                stats::routes,
                opsHandler::routes,
                openApiHandler::routes,
                funnelHandler::routes,
                exportHandler::routes);
        HttpServer http = new HttpServer(config.http(), ingestConfig.maxBodyBytes(), mapper,
                new Authorizer(writeKeys, adminTokens, config.http().metricsToken(), apiTokens), routes);
        started.push(http::stop);
        http.start();
        log.info("Sightline is listening on {}:{}", config.http().host(), http.port());
        return new Sightline(config, embedded, database, writer, responses, upkeep, lifecycle, http, created, geo,
                deviceResolver, jobs, backfills);
    }

    private record Storage(EmbeddedDatabase embedded, Database database) {}

    /** The embedded PostgreSQL (when no URL is configured) and the migrated pool over it. */
    private static Storage openStorage(Config config) throws Exception {
        EmbeddedDatabase embedded = null;
        String url;
        String user;
        String password;
        if (config.database().embedded()) {
            embedded = EmbeddedDatabase.start(config.database().dataDirectory(), config.database().embeddedPort());
            url = embedded.jdbcUrl();
            user = embedded.user();
            password = embedded.password();
        } else {
            url = config.database().url().orElseThrow();
            user = config.database().user();
            password = config.database().password();
        }
        try {
            return new Storage(embedded, Database.open(url, user, password, config.database().poolSize()));
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw e;
        }
    }

    private static RetentionPolicy retentionPolicy(Config config) {
        return new RetentionPolicy(config.rollup().retentionDays(), config.rollup().statsRetentionDays(),
                config.ingest().backfillWindow(), config.rollup().delay(),
                config.ingest().futureTolerance());
    }

    /**
     * The {@code rollup} command: rolls a range of days over the configured database without serving HTTP or
     * running the jobs; returns the process exit status.
     */
    public static int rollupCommand(Config config, String[] args, PrintStream out) throws Exception {
        Storage storage = openStorage(config);
        Clock clock = Clock.systemUTC();
        RollupService rollups = new RollupService(storage.database().dataSource(), clock);
        try (BackfillService backfills = new BackfillService(storage.database().dataSource(), rollups, clock,
                retentionPolicy(config), RollupListener.NONE)) {
            return new RollupCommand(backfills, out).run(args);
        } finally {
            storage.database().close();
            closeQuietly(storage.embedded());
        }
    }

    /** An idempotent upkeep task; a failure is logged and the next hour tries again. */
    private interface Upkeep {
        void run() throws Exception;
    }

    private static void hourly(ScheduledExecutorService upkeep, String what, Upkeep task) {
        upkeep.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (Exception e) {
                log.warn("{} failed; retrying within the hour: {}", what, e.getMessage());
            }
        }, 1, 1, TimeUnit.HOURS);
    }

    public int port() {
        return http.port();
    }

    /** The HTTP route table, as Javalin holds it. */
    public List<HttpServer.Route> routes() {
        return http.routes();
    }

    /** What this start created (default app, admin token); empty after the first start. */
    public Bootstrap.Created created() {
        return created;
    }

    /**
     * Graceful stop, in the order that leaves no valid request without an honest answer: readiness turns false
     * and new events get 503 {@code shutting_down}; the queued events are committed and answered while the
     * listener stays open for {@code SIGHTLINE_SHUTDOWN_DRAIN}, so a load balancer sees readiness fail before any
     * connection is refused; then Jetty stops gracefully (no new connections, the requests under way answered);
     * only then does the executor that writes those answers stop, and the rest after it.
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        long drainEnds = System.nanoTime() + config.http().shutdownDrain().toNanos();
        Duration timeout = config.http().shutdownTimeout();
        log.info("Stopping: refusing new events and committing the {} queued", writer.queuedEvents());
        lifecycle.startDraining();
        try {
            // The writer refuses new events from this moment on anyway, so its queue is committed at once rather
            // than after the drain: the requests waiting on it are answered sooner.
            if (!writer.drain(timeout)) {
                log.warn("The writer did not finish within {}; unacknowledged events will be retried by clients", timeout);
            }
            long left = drainEnds - System.nanoTime();
            if (left > 0) {
                log.info("Answering new events 503 for {} ms more before closing the listener", left / 1_000_000);
                TimeUnit.NANOSECONDS.sleep(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop();
        responses.shutdown();
        try {
            responses.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        upkeep.shutdownNow();
        backfills.close();
        if (jobs != null) {
            jobs.close();
        }
        geo.close();
        devices.close();
        database.close();
        closeQuietly(embedded);
        log.info("Stopped");
    }

    private static void closeQuietly(EmbeddedDatabase embedded) {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (Exception e) {
            log.warn("Stopping the embedded PostgreSQL failed: {}", e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }
}
