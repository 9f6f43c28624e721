package io.sightline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.auth.App;
import io.sightline.auth.AppStore;
import io.sightline.auth.ServerSecretStore;
import io.sightline.config.Config;
import io.sightline.enrich.DailySalts;
import io.sightline.enrich.DeviceResolver;
import io.sightline.enrich.GeoLocator;
import io.sightline.enrich.SaltStore;
import io.sightline.event.EventValidator;
import io.sightline.event.ValidationLimits;
import io.sightline.http.ClientIpResolver;
import io.sightline.http.Routes;
import io.sightline.http.WriteKeyLookup;
import io.sightline.ingest.IngestHandler;
import io.sightline.ingest.IngestService;
import io.sightline.ingest.Pipeline;
import io.sightline.ingest.SegmentHandler;
import io.sightline.ingest.SegmentIdentities;
import io.sightline.ingest.SegmentService;
import io.sightline.ingest.umami.UmamiHandler;
import io.sightline.ingest.umami.UmamiService;
import io.sightline.ingest.WebIngestHandler;
import io.sightline.store.ClientDataSealer;
import io.sightline.store.EventWriter;
import io.sightline.store.LateEventMarks;
import io.sightline.store.PartitionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ingestion: the event partitions, the salts, the pipeline (validation and the enrichment steps), the writer
 * (the PostgreSQL event sink) and the routes that take events.
 */
final class IngestModule {
    private static final Logger log = LoggerFactory.getLogger(IngestModule.class);

    /** How long an Umami website's app is remembered before it is looked up again. */
    private static final Duration UMAMI_WEBSITE_CACHE = Duration.ofSeconds(10);

    final EventWriter writer;
    private final IngestHandler handler;
    private final UmamiHandler umami;
    private final WebIngestHandler web;
    private final SegmentService segment;
    private final ObjectMapper mapper;
    private final Executor responses;

    private IngestModule(EventWriter writer, IngestHandler handler, UmamiHandler umami, WebIngestHandler web,
                         SegmentService segment, ObjectMapper mapper, Executor responses) {
        this.writer = writer;
        this.handler = handler;
        this.umami = umami;
        this.web = web;
        this.segment = segment;
        this.mapper = mapper;
        this.responses = responses;
    }

    /** {@code writeKeys}: the key lookup the web tracker's route checks its in-body key with. */
    static IngestModule build(Shared shared, DeviceResolver devices, GeoLocator geo, ClientDataSealer clientData,
                              AppStore apps, WriteKeyLookup<App> writeKeys) throws Exception {
        Config config = shared.config();
        Config.Ingest ingest = config.ingest();
        var dataSource = shared.database().dataSource();
        var clock = shared.clock();

        PartitionManager partitions = new PartitionManager(dataSource, clock, ingest.backfillWindow());
        partitions.ensureAhead();
        shared.upkeep().hourly("Creating upcoming event partitions", partitions::ensureAhead);
        DailySalts salts = new DailySalts(new SaltStore(dataSource), clock, config.enrich().saltRetention());
        salts.rotate();
        shared.upkeep().hourly("Rotating the visitor salts", salts::rotate);

        shared.metrics().userAgentLookups(devices.lookupCounts());
        shared.metrics().geoipLookups(geo.lookupCounts());
        Pipeline pipeline = new Pipeline(
                new EventValidator(new ValidationLimits(ingest.backfillWindow(), ingest.futureTolerance()), clock),
                EnrichmentParts.enricher(config.enrich()), shared.metrics());
        log.info("Ingestion pipeline: {}", String.join(" -> ", pipeline.stepNames()));

        EventWriter writer = new EventWriter(shared.database(), partitions, config.writer().queueCapacityEvents(),
                config.writer().maxEventsPerCommit(), config.writer().threads(), shared.metrics(),
                new LateEventMarks(clock, config.rollup().delay()));
        shared.metrics().queueDepth(writer::queuedEvents);
        writer.start();
        shared.teardown().push("event writer", () -> writer.drain(config.http().shutdownTimeout()));

        // Answers go out from here after their commit. A hand-off refused because the pool has stopped (only
        // possible when Jetty's graceful stop timed out) runs on the caller: an answer is never lost or a 500.
        ExecutorService responses = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                Shared.daemon("ingest-response"), (answer, stoppedPool) -> answer.run());
        shared.teardown().push("ingest responses", () -> {
            responses.shutdown();
            responses.awaitTermination(5, TimeUnit.SECONDS);
        });
        IngestService service = new IngestService(pipeline, devices, geo, responses, salts, writer,
                new ClientIpResolver(ingest.trustedProxies()), clock, shared.metrics(), ingest.ackTimeout(), clientData);
        UmamiService umami = UmamiService.create(service, apps, new ServerSecretStore(dataSource), clock,
                UMAMI_WEBSITE_CACHE);
        SegmentService segment = new SegmentService(service, pipeline, new SegmentIdentities(dataSource, clock),
                shared.metrics(), clock);
        return new IngestModule(writer, new IngestHandler(service, shared.mapper(), ingest, responses),
                new UmamiHandler(umami, shared.mapper(), ingest, responses),
                new WebIngestHandler(service, shared.mapper(), ingest, responses, writeKeys), segment, shared.mapper(),
                responses);
    }

    /** Segment's HTTP Tracking API, over the same pipeline and writer; the write key may come in the body. */
    Routes segmentRoutes(WriteKeyLookup<App> writeKeys) {
        return new SegmentHandler(segment, writeKeys, mapper, responses)::routes;
    }

    Routes routes() {
        return table -> {
            handler.routes(table);
            umami.routes(table);
            web.routes(table);
        };
    }
}
