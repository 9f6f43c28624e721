package io.sightline;

import io.sightline.auth.App;
import io.sightline.config.Config;
import io.sightline.enrich.DailySalts;
import io.sightline.enrich.DeviceResolver;
import io.sightline.enrich.GeoLocator;
import io.sightline.enrich.SaltStore;
import io.sightline.event.EventValidator;
import io.sightline.event.ValidationLimits;
import io.sightline.http.Routes;
import io.sightline.http.ClientIpResolver;
import io.sightline.http.WriteKeyLookup;
import io.sightline.ingest.IngestHandler;
import io.sightline.ingest.IngestService;
import io.sightline.ingest.Pipeline;
import io.sightline.ingest.WebIngestHandler;
import io.sightline.store.ClientDataSealer;
import io.sightline.store.EventWriter;
import io.sightline.store.LateEventMarks;
import io.sightline.store.PartitionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    final EventWriter writer;
    private final IngestHandler handler;
    private final WebIngestHandler web;

    private IngestModule(EventWriter writer, IngestHandler handler, WebIngestHandler web) {
        this.writer = writer;
        this.handler = handler;
        this.web = web;
    }

    /** {@code writeKeys}: the key lookup the web tracker's route checks its in-body key with. */
    static IngestModule build(Shared shared, DeviceResolver devices, GeoLocator geo, ClientDataSealer clientData,
                              WriteKeyLookup<App> writeKeys) throws Exception {
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
        return new IngestModule(writer, new IngestHandler(service, shared.mapper(), ingest, responses),
                new WebIngestHandler(service, shared.mapper(), ingest, responses, writeKeys));
    }

    Routes routes() {
        return table -> {
            handler.routes(table);
            web.routes(table);
        };
    }
}
