package io.sightline.bench.enrich;

import io.sightline.bench.ingest.SightlineProcess;
import io.sightline.bench.ingest.ThreadCpu;
import io.sightline.bench.load.LoadEngine;
import io.sightline.bench.load.LoadPlan;
import io.sightline.bench.load.LoadReport;
import io.sightline.bench.load.LoadTarget;
import io.sightline.bench.load.MixedRequestSource;
import io.sightline.bench.load.RequestTemplate;
import io.sightline.store.EmbeddedDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One server on its own PostgreSQL, kept running for a whole fork so that rounds of the two can
 * alternate: with the load generator, two servers' worth of PostgreSQL and the servers on 2 cores, runs
 * minutes apart differed by up to 30 %, far more than what is being compared.
 */
final class Contender implements AutoCloseable {
    private static final String EVENT = "{\"type\":\"interaction\",\"properties\":{\"object_id\":\"chair-3\","
            + "\"kind\":\"rotate\",\"value\":42.5},\"context\":{\"app\":{\"version\":\"3.2\"},\"locale\":\"de-DE\","
            + "\"consent\":{\"analytics\":true}}}";
    private static final int EVENTS_PER_BATCH = 100;
    private static final int TRACK_CONNECTIONS = 128;
    private static final int BATCH_CONNECTIONS = 16;
    /** Load before each measured round, not counted in its events/s. */
    private static final Duration ROUND_WARM_UP = Duration.ofSeconds(2);

    /** One route's load on this server, and where its rounds are recorded (which also names the route). */
    private record Route(int connections, int eventsPerRequest, LoadEngine engine, Result.Measurements measured) {
    }

    private final String label;
    private final EmbeddedDatabase pg;
    private final Path cluster;
    private final SightlineProcess server;
    private final Route track;
    private final Route batch;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    private Contender(Result result, EmbeddedDatabase pg, Path cluster, SightlineProcess server, String key,
                      List<String> addresses, double unique) {
        this.label = result.label;
        this.pg = pg;
        this.cluster = cluster;
        this.server = server;
        LoadTarget target = LoadTarget.loopback(server.port());
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            body.append(i == 0 ? "" : ",").append(EVENT);
        }
        String batchBody = body.append("]}").toString();
        this.track = new Route(TRACK_CONNECTIONS, 1, new LoadEngine(target, new MixedRequestSource(
                target, templates("/api/v1/analytics/track", EVENT, key, addresses, unique, 20_000))), result.track);
        this.batch = new Route(BATCH_CONNECTIONS, EVENTS_PER_BATCH, new LoadEngine(target,
                new MixedRequestSource(target,
                        templates("/api/v1/analytics/batch", batchBody, key, addresses, unique, 400))), result.batch);
        sampler.scheduleAtFixedRate(() -> result.peakRss.accumulateAndGet(server.rssMiB()[0], Math::max), 0, 200,
                TimeUnit.MILLISECONDS);
    }

    static Contender start(Result result, Path dir, ForkPlan plan) throws Exception {
        Files.createDirectories(dir);
        System.out.println("== " + result.label + " " + result.env);
        List<String> options = new ArrayList<>(plan.jvm());
        if (plan.profile()) {
            options.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve("server.jfr"));
        }
        EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0);
        try {
            SightlineProcess server = SightlineProcess.start(pg.jdbcUrl(), pg.password(), options, result.env,
                    dir.resolve("server.log"));
            return new Contender(result, pg, dir.resolve("postgres"), server, server.writeKey(), plan.addresses(),
                    plan.unique());
        } catch (Exception | Error e) {
            pg.close();
            throw e;
        }
    }

    /** JIT warm-up, discarded: both routes, so that both paths are compiled. */
    void warmUp(Duration time) throws InterruptedException {
        for (Route route : List.of(track, batch)) {
            route.engine().run(LoadPlan.closedLoop(route.connections(), Duration.ZERO, time.dividedBy(2)));
        }
    }

    void measureTrack(int round, Duration measured) throws InterruptedException {
        measure(round, track, measured);
    }

    void measureBatch(int round, Duration measured) throws InterruptedException {
        measure(round, batch, measured);
    }

    private void measure(int round, Route route, Duration measured) throws InterruptedException {
        long cpuBefore = server.cpu().toNanos();
        Map<String, Double> threadsBefore = ThreadCpu.of(server.pid());
        double pgBefore = postgresCpuSeconds();
        LoadReport r = route.engine().run(LoadPlan.closedLoop(route.connections(), ROUND_WARM_UP, measured));
        double cpuSeconds = (server.cpu().toNanos() - cpuBefore) / 1e9;
        Map<String, Double> threads = ThreadCpu.minus(ThreadCpu.of(server.pid()), threadsBefore);
        double pgSeconds = postgresCpuSeconds() - pgBefore;
        double events = (double) r.statuses().success() * route.eventsPerRequest();
        double seconds = r.plan().measured().toNanos() / 1e9;
        // CPU is read over warm-up and measurement, so it is set against the events of both (same rate).
        double eventsInWindow = events * (seconds + ROUND_WARM_UP.toNanos() / 1e9) / seconds;
        double cpuUs = cpuSeconds * 1e6 / eventsInWindow;
        route.measured().rates.add(events / seconds);
        route.measured().serverCpu.add(cpuUs);
        route.measured().withPostgres.add((cpuSeconds + pgSeconds) * 1e6 / eventsInWindow);
        System.out.printf(Locale.ROOT, "    %-22s %-20s %,10.0f %8.2f %8.2f %12.1f%s%n",
                round + " " + route.measured().route + " " + route.connections() + "c", label, events / seconds,
                r.latency().p50().toNanos() / 1e6, r.latency().p99().toNanos() / 1e6, cpuUs,
                r.statuses().total() == r.statuses().success() ? ""
                        : "  non-200: " + (r.statuses().total() - r.statuses().success()));
        StringBuilder split = new StringBuilder();
        threads.forEach((group, s) -> split.append(String.format(Locale.ROOT, " %s %.1f", group,
                s * 1e6 / eventsInWindow)));
        System.out.printf(Locale.ROOT, "    %-43s us/event by thread:%s; PostgreSQL %.1f%n", "", split,
                pgSeconds * 1e6 / eventsInWindow);
    }

    /**
     * CPU of the postmaster and every process under it (backends, WAL writer, checkpointer, ...). A backend
     * that exited takes its time with it, but the server's pooled connections live as long as it does.
     */
    private double postgresCpuSeconds() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(cluster.resolve("postmaster.pid")).get(0).trim());
            return ProcessHandle.of(postmaster).map(p -> Stream.concat(Stream.of(p),
                            p.descendants()).mapToDouble(h -> h.info().totalCpuDuration()
                            .map(d -> d.toNanos() / 1e9).orElse(0.0)).sum())
                    .orElse(Double.NaN);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() throws Exception {
        sampler.shutdownNow();
        try (pg; server) {
            // A request whose new User-Agent found the parse queue full goes on without device facts; had
            // that happened, the full server's throughput would flatter it.
            double unparsed = server.metric("sightline_user_agent_lookups_total{result=\"unparsed\"}");
            System.out.printf(Locale.ROOT, "    %s: server CPU %.1f s, %s%n", label, server.cpu().toNanos() / 1e9,
                    Double.isNaN(unparsed) ? "no device detection" : String.format(Locale.ROOT,
                            "requests left unparsed %.0f", unparsed));
        }
    }

    private static List<RequestTemplate> templates(String path, String body, String key, List<String> addresses,
                                                   double unique, int count) {
        ClientMix mix = new ClientMix(addresses, unique, 42);
        List<RequestTemplate> templates = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ClientMix.Sender sender = mix.next();
            templates.add(RequestTemplate.postJson(path, Map.of("X-Write-Key", key, "User-Agent", sender.userAgent(),
                    "X-Forwarded-For", sender.address()), body));
        }
        return templates;
    }
}
