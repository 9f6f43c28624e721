package io.sightline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.auth.AdminTokenStore;
import io.sightline.auth.AppAdminHandler;
import io.sightline.auth.AppStore;
import io.sightline.auth.Bootstrap;
import io.sightline.auth.WriteKeyAuthenticator;
import io.sightline.config.Config;
import io.sightline.enrich.IpHasher;
import io.sightline.event.EventValidator;
import io.sightline.event.ValidationLimits;
import io.sightline.http.Authorizer;
import io.sightline.http.HttpServer;
import io.sightline.http.Json;
import io.sightline.ingest.ClientIpResolver;
import io.sightline.ingest.IngestHandler;
import io.sightline.ingest.IngestService;
import io.sightline.ops.Lifecycle;
import io.sightline.ops.Metrics;
import io.sightline.ops.OpsHandler;
import io.sightline.ops.Readiness;
import io.sightline.privacy.PrivacyHandler;
import io.sightline.privacy.PrivacyService;
import io.sightline.privacy.PrivacyStore;
import io.sightline.store.Database;
import io.sightline.store.EmbeddedDatabase;
import io.sightline.store.EventWriter;
import io.sightline.store.PartitionManager;
import io.sightline.store.ServerSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds every part by constructor, starts them in order and stops them in reverse.
 * Stopping drains: readiness turns false and new events get 503, everything queued is committed and
 * answered, then HTTP, the pool and the embedded database stop.
 */
public final class Sightline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sightline.class);

    private final Config config;
    private final EmbeddedDatabase embedded;
    private final Database database;
    private final EventWriter writer;
    private final ExecutorService responses;
    private final ScheduledExecutorService upkeep;
    private final Lifecycle lifecycle;
    private final HttpServer http;
    private final Bootstrap.Created created;
    private boolean stopped;

    private Sightline(Config config, EmbeddedDatabase embedded, Database database, EventWriter writer,
                      ExecutorService responses, ScheduledExecutorService upkeep, Lifecycle lifecycle, HttpServer http,
                      Bootstrap.Created created) {
        this.config = config;
        this.embedded = embedded;
        this.database = database;
        this.writer = writer;
        this.responses = responses;
        this.upkeep = upkeep;
        this.lifecycle = lifecycle;
        this.http = http;
        this.created = created;
    }

    public static Sightline start(Config config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    public static Sightline start(Config config, Clock clock) throws Exception {
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
        Database database;
        try {
            database = Database.open(url, user, password, config.database().poolSize());
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw e;
        }

        Metrics metrics = new Metrics();
        ObjectMapper mapper = Json.mapper();
        Config.Ingest ingestConfig = config.ingest();

        PartitionManager partitions = new PartitionManager(database.dataSource(), clock, ingestConfig.backfillWindow());
        partitions.ensureAhead();
        ScheduledExecutorService upkeep = Executors.newSingleThreadScheduledExecutor(daemon("partition-upkeep"));
        upkeep.scheduleAtFixedRate(() -> {
            try {
                partitions.ensureAhead();
            } catch (Exception e) {
                log.warn("Creating upcoming event partitions failed; retrying within the hour: {}", e.getMessage());
            }
        }, 1, 1, TimeUnit.HOURS);

        AppStore apps = new AppStore(database.dataSource());
        AdminTokenStore adminTokens = new AdminTokenStore(database.dataSource());
        Bootstrap.Created created = new Bootstrap(database.dataSource(), apps, adminTokens).run();
        WriteKeyAuthenticator writeKeys = new WriteKeyAuthenticator(apps, clock, Duration.ofSeconds(10));
        IpHasher ipHasher = new IpHasher(new ServerSecrets(database.dataSource()).getOrCreate("ip_hash_key", 32));

        EventWriter writer = new EventWriter(database, partitions,
                config.writer().queueCapacityEvents(), config.writer().maxEventsPerCommit(), config.writer().threads(), metrics);
        metrics.queueDepth(writer::queuedEvents);
        writer.start();

        ExecutorService responses = Executors.newFixedThreadPool(2, daemon("ingest-response"));
        Lifecycle lifecycle = new Lifecycle();
        IngestService ingest = new IngestService(
                new EventValidator(new ValidationLimits(ingestConfig.backfillWindow(), ingestConfig.futureTolerance()), clock),
                writer, ipHasher, new ClientIpResolver(ingestConfig.trustedProxies()), clock, metrics,
                ingestConfig.maxBatchEvents(), ingestConfig.ackTimeout());
        HttpServer http = new HttpServer(config.http(), ingestConfig.maxBodyBytes(), mapper,
                new Authorizer(writeKeys, adminTokens, config.http().metricsToken()),
                new IngestHandler(ingest, mapper, ingestConfig, responses),
                new AppAdminHandler(apps, writeKeys, mapper),
                new PrivacyHandler(new PrivacyService(new PrivacyStore(database.dataSource()), apps, clock), mapper),
                new OpsHandler(new Readiness(lifecycle, database, writer, clock), metrics));
        http.start();
        log.info("Sightline is listening on {}:{}", config.http().host(), http.port());
        return new Sightline(config, embedded, database, writer, responses, upkeep, lifecycle, http, created);
    }

    public int port() {
        return http.port();
    }

    /** What this start created (default app, admin token); empty after the first start. */
    public Bootstrap.Created created() {
        return created;
    }

    /** Graceful stop: refuse new events, commit and answer the queued ones, then stop everything. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        Duration timeout = config.http().shutdownTimeout();
        log.info("Stopping: refusing new events and committing the {} queued", writer.queuedEvents());
        lifecycle.startDraining();
        try {
            if (!writer.drain(timeout)) {
                log.warn("The writer did not finish within {}; unacknowledged events will be retried by clients", timeout);
            }
            responses.shutdown();
            responses.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop();
        upkeep.shutdownNow();
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
