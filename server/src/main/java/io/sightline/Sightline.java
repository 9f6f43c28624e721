package io.sightline;

import io.sightline.auth.Bootstrap;
import io.sightline.config.Config;
import io.sightline.destinations.ClientDataCipher;
import io.sightline.destinations.DestinationType;
import io.sightline.destinations.SecretCipher;
import io.sightline.destinations.Platform;
import io.sightline.enrich.DeviceResolver;
import io.sightline.enrich.GeoLocator;
import io.sightline.http.HttpServer;
import io.sightline.http.Json;
import io.sightline.http.OpenApiHandler;
import io.sightline.http.Routes;
import io.sightline.ops.Lifecycle;
import io.sightline.ops.Metrics;
import io.sightline.ops.OpsHandler;
import io.sightline.ops.Readiness;
import io.sightline.rollup.BackfillService;
import io.sightline.rollup.RollupCommand;
import io.sightline.rollup.RollupListener;
import io.sightline.rollup.RollupService;
import io.sightline.store.EventWriter;
import io.sightline.web.WebAssets;
import io.sightline.web.WebHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds every feature module by constructor from the settings and a few {@link Shared}
 * parts, assembles their routes into one table, and stops everything in reverse through one {@link Teardown},
 * which also unwinds a start that fails halfway. Stopping drains first: readiness turns false and new events get
 * 503, everything queued is committed and answered while the listener stays open for a short drain, then HTTP
 * stops gracefully, then the rest in reverse order of starting.
 */
public final class Sightline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sightline.class);

    private final Config config;
    private final EventWriter writer;
    private final Lifecycle lifecycle;
    private final HttpServer http;
    private final Bootstrap.Created created;
    private final Teardown teardown;
    private boolean stopped;

    private Sightline(Config config, EventWriter writer, Lifecycle lifecycle, HttpServer http, Bootstrap.Created created,
                      Teardown teardown) {
        this.config = config;
        this.writer = writer;
        this.lifecycle = lifecycle;
        this.http = http;
        this.created = created;
        this.teardown = teardown;
    }

    public static Sightline start(Config config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    public static Sightline start(Config config, Clock clock) throws Exception {
        return start(config, clock, DestinationsModule.platformClients(config.forwarding(), clock));
    }

    /** {@code platforms}: the client of each destination type this server forwards to (tests give their own). */
    public static Sightline start(Config config, Clock clock, Map<DestinationType, Platform> platforms) throws Exception {
        Teardown teardown = new Teardown();
        try {
            return build(config, clock, platforms, teardown);
        } catch (Exception | Error e) {
            teardown.closeAfter(e);
            throw e;
        }
    }

    private static Sightline build(Config config, Clock clock, Map<DestinationType, Platform> platforms,
                                   Teardown teardown) throws Exception {
        // Yauaa takes seconds to build: do it while PostgreSQL starts. HTTP (and so readiness) comes after both.
        CompletableFuture<DeviceResolver> devices = EnrichmentParts.deviceDetection(config.enrich());
        teardown.push("device detection", () -> devices.thenAccept(DeviceResolver::close));
        GeoLocator geo = EnrichmentParts.geoLocator(config.enrich());
        teardown.push("GeoIP", geo);
        Storage storage = Storage.open(config);
        teardown.push("storage", storage);
        Upkeep upkeep = new Upkeep();
        teardown.push("upkeep", upkeep);
        Metrics metrics = new Metrics();
        Shared shared = new Shared(config, clock, storage.database(), metrics, Json.mapper(), upkeep, teardown);

        AccessModule access = AccessModule.build(shared);
        // One key seals destination credentials and the client data a destination may send: loaded before ingestion,
        // which seals the latter.
        SecretCipher secrets = DestinationsModule.cipher(config);
        ClientDataCipher clientData = new ClientDataCipher(secrets, storage.database().dataSource(), clock);
        IngestModule ingest = IngestModule.build(shared, devices.join(), geo, clientData, access.apps,
                access.writeKeys);
        RollupModule rollups = RollupModule.build(shared);
        StatsModule stats = StatsModule.build(shared, access.apps);
        DestinationsModule destinations = DestinationsModule.build(shared, access.apps, platforms, secrets, clientData,
                ingest.writer::recentEventsPerCommit);
        WebHandler web = new WebHandler(WebAssets.load());
        Lifecycle lifecycle = new Lifecycle();
        OpsHandler ops = new OpsHandler(new Readiness(lifecycle, storage.database(), ingest.writer, clock), metrics);

        // The route table, feature by feature; each declares its routes and who may call them.
        List<Routes> routes = List.of(
                ingest.routes(),
                ingest.segmentRoutes(access.writeKeys),
                access.routes(),
                PrivacyModule.build(shared, access.apps),
                destinations.routes(),
                destinations.deliveryRoutes(),
                rollups.routes(),
                stats.routes(),
                ops::routes,
                new OpenApiHandler()::routes,
                web::routes);
        HttpServer http = new HttpServer(config.http(), config.ingest().maxBodyBytes(), shared.mapper(), access.authorizer,
                routes);
        teardown.push("HTTP", http::stop);
        http.start();
        log.info("Sightline is listening on {}:{}", config.http().host(), http.port());
        return new Sightline(config, ingest.writer, lifecycle, http, access.created, teardown);
    }

    /**
     * The {@code rollup} command: rolls a range of days over the configured database without serving HTTP or
     * running the jobs; returns the process exit status.
     */
    public static int rollupCommand(Config config, String[] args, PrintStream out) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Storage storage = Storage.open(config);
             BackfillService backfills = new BackfillService(storage.database().dataSource(),
                     new RollupService(storage.database().dataSource(), clock, RollupModule.retentionPolicy(config).rollupDelay()), clock,
                     RollupModule.retentionPolicy(config), RollupListener.NONE)) {
            return new RollupCommand(backfills, out).run(args);
        }
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
     * connection is refused; then the teardown runs: Jetty stops gracefully (no new connections, the requests under
     * way answered), only then the executor that writes those answers, and the rest in reverse order of starting.
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
        log.info("Stopping, newest part first: {}", String.join(", ", teardown.names()));
        teardown.close();
        log.info("Stopped");
    }
}
