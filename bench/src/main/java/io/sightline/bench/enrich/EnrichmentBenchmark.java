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
import io.sightline.testing.TestGeoDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Ingest throughput with full enrichment (Yauaa device detection and bot filter, GeoIP over a 200,000-network
 * City database) against the same server without them (SIGHTLINE_DEVICE_DETECTION=false, no GeoIP; consent,
 * visitor/session derivation and the IP hash run in both). Each server gets its own fresh PostgreSQL and runs
 * alone. Requests come from {@link ClientMix}: varied User-Agents and client addresses (X-Forwarded-For from
 * a trusted proxy), events without visitor, session, location or device, so every step has work to do.
 * Throughput counts answered events (stored or dropped as bots: both went through the whole pipeline).
 *
 * <p>Both servers run side by side and are measured in alternating rounds (/track with 128 connections, then
 * /batch with 16, for one server and then the other), so a slow minute of the machine cannot decide the result.
 * The whole comparison runs in several forks: each fork starts both servers and their databases afresh. One JVM
 * can stay 10-15 % faster or slower than another with the same code for its whole life (the JIT's choices), and
 * alternating rounds cannot cancel that; with GeoIP alone, which costs about nothing, one such pair measured
 * 1.10-1.17 x in every round. The summary compares medians over every round of every fork and shows each
 * fork's ratio. Each measurement also reports the server's CPU time per event.
 */
public final class EnrichmentBenchmark {
    private static final String EVENT = "{\"type\":\"interaction\",\"properties\":{\"object_id\":\"chair-3\","
            + "\"kind\":\"rotate\",\"value\":42.5},\"context\":{\"app\":{\"version\":\"3.2\"},\"locale\":\"de-DE\","
            + "\"consent\":{\"analytics\":true}}}";
    private static final int EVENTS_PER_BATCH = 100;
    private static final int TRACK_CONNECTIONS = 128;
    private static final int BATCH_CONNECTIONS = 16;
    /** Load before each measured round, not counted in its events/s. */
    private static final Duration ROUND_WARM_UP = Duration.ofSeconds(2);

    private EnrichmentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration measured = Duration.ofSeconds(10);
        int forks = 3;
        int rounds = 3;
        // The JIT compiles Yauaa's parser for the first minute or so of load: the full server's C2 threads used
        // 23 s of CPU in its first 60 s, then 0.1 s per 10 s; with 45 s, the first round still paid 11 us per
        // event for compiling. A server runs for days, so this is start-up cost, not enrichment. Both get it.
        Duration jitWarmUp = Duration.ofSeconds(90);
        String heap = "256m";
        // An AR visit sends 10 to 20 events (scan, placement, interactions, screenshot, conversion) from one
        // device; when one visit in seven brings a User-Agent the server has not seen yet, 1 % of events carry a
        // new one. --unique=0.05 is the stress case: most visits new to the server.
        double unique = 0.01;
        boolean profile = false;
        List<String> partial = new ArrayList<>();
        List<String> jvmExtra = new ArrayList<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "--seconds" -> measured = Duration.ofSeconds(Long.parseLong(kv[1]));
                case "--rounds" -> rounds = Integer.parseInt(kv[1]);
                case "--forks" -> forks = Integer.parseInt(kv[1]);
                case "--heap" -> heap = kv[1];
                case "--unique" -> unique = Double.parseDouble(kv[1]);
                case "--jfr" -> profile = true;
                case "--warmup" -> jitWarmUp = Duration.ofSeconds(Long.parseLong(kv[1]));
                // Diagnosis: the "full" server without one part, to see what each costs.
                case "--without" -> partial.addAll(List.of(kv[1].split(",")));
                case "--jvm" -> jvmExtra.addAll(List.of(kv[1].split(",")));
                default -> throw new IllegalArgumentException("unknown option " + kv[0]);
            }
        }
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "enrich-bench-");
        Path geo = TestGeoDatabase.withRandomNetworks(dir.resolve("city.mmdb"), 200_000, 7);
        List<String> addresses = new ArrayList<>();
        for (TestGeoDatabase.GeoNetwork n : TestGeoDatabase.randomNetworks(200_000, 7)) {
            if (addresses.size() < 50_000) {
                addresses.add(n.sampleIp());
            }
        }
        System.out.printf(Locale.ROOT, "Enrichment benchmark: %d cores, server -Xmx%s, %s per step, %,d client addresses,"
                + " %.0f %% unique User-Agents%n%n", Runtime.getRuntime().availableProcessors(), heap, measured,
                addresses.size(), unique * 100);

        // No rollup or retention job on either: the idle server's rollup of the day so far would run during the
        // other's measurement, and what is compared here is ingestion.
        Map<String, String> common = Map.of("SIGHTLINE_TRUSTED_PROXIES", "127.0.0.1/32", "SIGHTLINE_JOBS", "false");
        Map<String, String> baseline = new LinkedHashMap<>(common);
        baseline.put("SIGHTLINE_DEVICE_DETECTION", "false");
        Map<String, String> full = new LinkedHashMap<>(common);
        if (!partial.contains("geoip")) {
            full.put("SIGHTLINE_GEOIP_DATABASE", geo.toString());
        }
        if (partial.contains("device")) {
            full.put("SIGHTLINE_DEVICE_DETECTION", "false");
        }

        List<String> jvm = new ArrayList<>(SightlineProcess.readmeJvm(heap));
        jvm.addAll(jvmExtra);
        if (profile) {
            System.out.println("Flight recordings: " + dir + "/fork-*/{baseline,full}/server.jfr");
        }
        ForkPlan plan = new ForkPlan(jvm, profile, addresses, unique, jitWarmUp, rounds, measured);
        List<Result> results = new ArrayList<>();
        if (!partial.contains("baseline")) {
            results.add(new Result("without enrichment", "baseline", baseline));
        }
        results.add(new Result("full enrichment", "full", full));
        for (int fork = 1; fork <= forks; fork++) {
            System.out.printf(Locale.ROOT, "%nFork %d of %d: both servers and databases started afresh%n", fork, forks);
            Path forkDir = dir.resolve("fork-" + fork);
            runFork(results, forkDir, plan);
            if (!profile) {
                // Two PostgreSQL clusters of a few GB each; the flight recordings are kept when asked for.
                deleteTree(forkDir);
            }
        }
        summarise(results);
        if (!profile) {
            deleteTree(dir);
        }
    }

    /** What every fork does alike: the servers' JVM options, the client mix and the length of each step. */
    private record ForkPlan(List<String> jvm, boolean profile, List<String> addresses, double unique,
                            Duration jitWarmUp, int rounds, Duration measured) {
    }

    private static void runFork(List<Result> results, Path dir, ForkPlan plan) throws Exception {
        List<Contender> contenders = new ArrayList<>();
        try {
            for (Result result : results) {
                contenders.add(Contender.start(result, dir.resolve(result.directory), plan));
            }
            for (Contender c : contenders) {
                c.warmUp(plan.jitWarmUp());
            }
            System.out.printf(Locale.ROOT, "%n    %-22s %-20s %10s %8s %8s %12s%n", "round", "server", "events/s",
                    "p50 ms", "p99 ms", "CPU us/event");
            for (int round = 1; round <= plan.rounds(); round++) {
                // Alternating who goes first cancels a drift of the machine's speed within a round.
                List<Contender> order = new ArrayList<>(contenders);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (Contender c : order) {
                    c.measureTrack(round, plan.measured());
                }
                for (Contender c : order) {
                    c.measureBatch(round, plan.measured());
                }
            }
            for (Result result : results) {
                result.track.endFork();
                result.batch.endFork();
            }
        } finally {
            for (Contender c : contenders) {
                c.close();
            }
        }
    }

    private static void summarise(List<Result> results) {
        System.out.printf(Locale.ROOT, "%nSummary: medians over every round of every fork (target: full >= 0.8 x"
                + " without)%n");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "    %-20s /track %,8.0f ev/s (%,.0f us CPU/event)  /batch %,8.0f ev/s"
                            + " (%,.0f us CPU/event)  peak RSS %d MiB%n", r.label, median(r.track.rates),
                    median(r.track.serverCpu), median(r.batch.rates), median(r.batch.serverCpu), r.peakRss.get());
        }
        if (results.size() == 2) {
            Result without = results.get(0);
            Result with = results.get(1);
            for (String route : List.of("/track", "/batch")) {
                Measurements w = route.equals("/track") ? with.track : with.batch;
                Measurements wo = route.equals("/track") ? without.track : without.batch;
                System.out.printf(Locale.ROOT, "    %s: %.2f x (per fork: %s; per round: %s)%n", route,
                        median(w.rates) / median(wo.rates), ratios(w.forkMedians, wo.forkMedians),
                        ratios(w.rates, wo.rates));
            }
            // What a machine running only Sightline and PostgreSQL could take: the inverse of their CPU per event.
            System.out.printf(Locale.ROOT, "    server + PostgreSQL CPU per event, without / with: /track %.0f / %.0f us"
                            + " = %.2f x, /batch %.1f / %.1f us = %.2f x%n", median(without.track.withPostgres),
                    median(with.track.withPostgres),
                    median(without.track.withPostgres) / median(with.track.withPostgres),
                    median(without.batch.withPostgres), median(with.batch.withPostgres),
                    median(without.batch.withPostgres) / median(with.batch.withPostgres));
        }
    }

    /** Pairwise ratios and their median: a pair's two measurements are closer in time than any others. */
    private static String ratios(List<Double> with, List<Double> without) {
        List<String> shown = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < with.size(); i++) {
            ratios.add(with.get(i) / without.get(i));
            shown.add(String.format(Locale.ROOT, "%.2f", ratios.get(i)));
        }
        return String.join(" ", shown) + String.format(Locale.ROOT, "; their median %.2f x", median(ratios));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One configuration of the server, and what it measured in every fork. */
    private static final class Result {
        final String label;
        /** Where each fork keeps this server's database, log and flight recording. */
        final String directory;
        final Map<String, String> env;
        final Measurements track = new Measurements();
        final Measurements batch = new Measurements();
        final AtomicLong peakRss = new AtomicLong();

        Result(String label, String directory, Map<String, String> env) {
            this.label = label;
            this.directory = directory;
            this.env = env;
        }
    }

    /** What each round measured on one route: events/s, server CPU and server + PostgreSQL CPU per event. */
    private static final class Measurements {
        final List<Double> rates = new ArrayList<>();
        final List<Double> serverCpu = new ArrayList<>();
        final List<Double> withPostgres = new ArrayList<>();
        /** The median events/s of each fork's rounds. */
        final List<Double> forkMedians = new ArrayList<>();
        private int forkStart;

        void endFork() {
            forkMedians.add(median(rates.subList(forkStart, rates.size())));
            forkStart = rates.size();
        }
    }

    /** One route's load on one server, and where its rounds are recorded. */
    private static final class Route {
        final String name;
        final int connections;
        final int eventsPerRequest;
        final LoadEngine engine;
        final Measurements measured;

        Route(String name, int connections, int eventsPerRequest, LoadEngine engine, Measurements measured) {
            this.name = name;
            this.connections = connections;
            this.eventsPerRequest = eventsPerRequest;
            this.engine = engine;
            this.measured = measured;
        }
    }

    /**
     * One server on its own PostgreSQL, kept running for a whole fork so that rounds of the two can
     * alternate: with the load generator, two servers' worth of PostgreSQL and the servers on 2 cores, runs
     * minutes apart differed by up to 30 %, far more than what is being compared.
     */
    private static final class Contender implements AutoCloseable {
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
            this.track = new Route("/track", TRACK_CONNECTIONS, 1, new LoadEngine(target, new MixedRequestSource(
                    target, templates("/api/v1/analytics/track", EVENT, key, addresses, unique, 20_000))), result.track);
            this.batch = new Route("/batch", BATCH_CONNECTIONS, EVENTS_PER_BATCH, new LoadEngine(target,
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
                route.engine.run(LoadPlan.closedLoop(route.connections, Duration.ZERO, time.dividedBy(2)));
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
            LoadReport r = route.engine.run(LoadPlan.closedLoop(route.connections, ROUND_WARM_UP, measured));
            double cpuSeconds = (server.cpu().toNanos() - cpuBefore) / 1e9;
            Map<String, Double> threads = ThreadCpu.minus(ThreadCpu.of(server.pid()), threadsBefore);
            double pgSeconds = postgresCpuSeconds() - pgBefore;
            double events = (double) r.statuses().success() * route.eventsPerRequest;
            double seconds = r.plan().measured().toNanos() / 1e9;
            // CPU is read over warm-up and measurement, so it is set against the events of both (same rate).
            double eventsInWindow = events * (seconds + ROUND_WARM_UP.toNanos() / 1e9) / seconds;
            double cpuUs = cpuSeconds * 1e6 / eventsInWindow;
            route.measured.rates.add(events / seconds);
            route.measured.serverCpu.add(cpuUs);
            route.measured.withPostgres.add((cpuSeconds + pgSeconds) * 1e6 / eventsInWindow);
            System.out.printf(Locale.ROOT, "    %-22s %-20s %,10.0f %8.2f %8.2f %12.1f%s%n",
                    round + " " + route.name + " " + route.connections + "c", label, events / seconds,
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
                return ProcessHandle.of(postmaster).map(p -> java.util.stream.Stream.concat(Stream.of(p),
                                p.descendants()).mapToDouble(h -> h.info().totalCpuDuration()
                                .map(d -> d.toNanos() / 1e9).orElse(0.0)).sum())
                        .orElse(Double.NaN);
            } catch (java.io.IOException | RuntimeException e) {
                return Double.NaN;
            }
        }

        @Override
        public void close() throws Exception {
            sampler.shutdownNow();
            try (pg; server) {
                // A request whose new User-Agent found the parse queue full goes on without device facts; had
                // that happened, the full server's throughput would flatter it.
                double unparsed = server.metric("sightline_user_agents_unparsed_total");
                System.out.printf(Locale.ROOT, "    %s: server CPU %.1f s, %s%n", label, server.cpu().toNanos() / 1e9,
                        Double.isNaN(unparsed) ? "no device detection" : String.format(Locale.ROOT,
                                "requests left unparsed %.0f", unparsed));
            }
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

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
