package io.sightline.ops;

import io.micrometer.core.instrument.Counter;
import io.sightline.destinations.DeliveryListener;
import io.sightline.destinations.DestinationType;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sightline.ingest.IngestListener;
import io.sightline.ingest.StepTimer;
import io.sightline.rollup.RollupListener;
import io.sightline.store.WriterListener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The server's Prometheus metrics, fed through the ingestion and writer hooks. */
public final class Metrics implements IngestListener, WriterListener, RollupListener, DeliveryListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter accepted;
    private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> dropped = new ConcurrentHashMap<>();
    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final Timer rollupDay;
    private final Timer rollupRun;
    private final Counter rollupFailures;
    private static final String[] OUTCOMES = {"delivered", "retried", "failed", "dead", "expired", "skipped"};
    private final ConcurrentHashMap<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> lags = new ConcurrentHashMap<>();
    private final List<LongSupplier> countSources = new CopyOnWriteArrayList<>();

    public Metrics() {
        accepted = Counter.builder("sightline.events.accepted")
                .description("Events durably stored and acknowledged").register(registry);
        batchSize = DistributionSummary.builder("sightline.writer.batch.events")
                .description("Events per committed transaction")
                .serviceLevelObjectives(1, 10, 50, 100, 500, 1000, 2000, 5000)
                .register(registry);
        commitLatency = Timer.builder("sightline.writer.commit")
                .description("Time to COPY, insert and commit one batch")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
                        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry);
        rollupDay = Timer.builder("sightline.rollup.day")
                .description("Time to roll up one day of one app (its count is the days rolled)").register(registry);
        rollupRun = Timer.builder("sightline.rollup.run")
                .description("Time of one run of the scheduled rollup job").register(registry);
        rollupFailures = Counter.builder("sightline.rollup.run.failures")
                .description("Runs of the rollup job that logged an error").register(registry);
    }

    @Override
    public void dayRolled(long events, long nanos) {
        rollupDay.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void jobRun(long nanos, boolean failed) {
        rollupRun.record(nanos, TimeUnit.NANOSECONDS);
        if (failed) {
            rollupFailures.increment();
        }
    }

    /** Registers the queue depth gauge once the writer exists. */
    public void queueDepth(IntSupplier depth) {
        Gauge.builder("sightline.queue.depth.events", depth::getAsInt)
                .description("Events waiting for the writer").register(registry);
    }

    /** User-Agent lookups by result, from counts the device detector keeps; for sizing its cache. */
    public void userAgentLookups(Map<String, LongSupplier> countsByResult) {
        lookups("sightline.user.agent.lookups", "User-Agents looked up, by result: cached (answered from memory),"
                + " shared (joined a parse under way), parsed, unparsed (parser saturated: stored without device"
                + " facts)", countsByResult);
    }

    /** GeoIP lookups by result, from counts the locator keeps; for sizing its memory of networks. */
    public void geoipLookups(Map<String, LongSupplier> countsByResult) {
        lookups("sightline.geoip.lookups", "GeoIP lookups, by result: remembered (answered from the networks in"
                + " memory) or database (read from the file)", countsByResult);
    }

    private void lookups(String name, String description, Map<String, LongSupplier> countsByResult) {
        countsByResult.forEach((result, count) -> {
            // A function counter holds its source weakly; once a method reference like these is collected, it
            // repeats its last value forever. This list keeps them.
            countSources.add(count);
            FunctionCounter.builder(name, count, c -> c.getAsLong())
                    .description(description).tag("result", result).register(registry);
        });
    }

    @Override
    public void accepted(int events) {
        accepted.increment(events);
    }

    @Override
    public void rejected(String reason, int events) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("sightline.events.rejected")
                .description("Events refused, by reason").tag("reason", r).register(registry)).increment(events);
    }

    @Override
    public void dropped(String reason, int events) {
        dropped.computeIfAbsent(reason, r -> Counter.builder("sightline.events.dropped")
                .description("Valid events deliberately not stored, by reason").tag("reason", r).register(registry))
                .increment(events);
    }

    /** {@code sightline.ingest.step{step=...}}: one timer per pipeline step, recorded once per event that reaches it. */
    @Override
    public StepTimer stepTimer(String step) {
        Timer timer = Timer.builder("sightline.ingest.step")
                .description("Time one ingestion pipeline step takes for one event, by step").tag("step", step)
                .register(registry);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void committed(int events, long nanos) {
        batchSize.record(events);
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * {@code sightline_forward_deliveries_total{destination, type, outcome}}: delivered, retried (a transient
     * failure, to be tried again), failed (refused by the platform), dead, expired, skipped.
     */
    @Override
    public void outcomes(long destinationId, DestinationType type, long delivered, long retried, long failed,
                         long dead, long expired, long skipped) {
        String id = Long.toString(destinationId);
        long[] counts = {delivered, retried, failed, dead, expired, skipped};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                String outcome = OUTCOMES[i];
                deliveries.computeIfAbsent(id + "/" + outcome, k -> Counter.builder("sightline.forward.deliveries")
                        .description("Deliveries to destinations, by destination, platform and outcome")
                        .tag("destination", id).tag("type", type.wireName()).tag("outcome", outcome)
                        .register(registry)).increment(counts[i]);
            }
        }
    }

    /** {@code sightline_forward_lag_seconds{destination, type}}: the age of the destination's oldest waiting delivery. */
    @Override
    public void lag(long destinationId, DestinationType type, Duration oldest) {
        String id = Long.toString(destinationId);
        lags.computeIfAbsent(id, k -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("sightline.forward.lag.seconds", millis, m -> m.get() / 1000.0)
                    .description("How long the oldest delivery waiting for a retry has waited, by destination")
                    .tag("destination", id).tag("type", type.wireName()).register(registry);
            return millis;
        }).set(oldest.toMillis());
    }

    public String scrape() {
        return registry.scrape();
    }
}
