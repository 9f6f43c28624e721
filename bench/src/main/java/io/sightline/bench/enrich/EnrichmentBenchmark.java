package io.sightline.bench.enrich;

import io.sightline.bench.ingest.SightlineProcess;
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

/**
 * Ingest throughput with full enrichment (Yauaa device detection and bot filter, GeoIP over a 200,000-network
 * City database) against the same server without them (SIGHTLINE_DEVICE_DETECTION=false, no GeoIP; consent,
 * visitor/session derivation and the IP hash run in both). Each server gets its own fresh PostgreSQL and runs
 * alone. Requests come from {@link ClientMix}: varied User-Agents and client addresses (X-Forwarded-For from
 * a trusted proxy), events without visitor, session, location or device, so every step has work to do.
 * Throughput counts answered events (stored or dropped as bots: both went through the whole pipeline).
 */
public final class EnrichmentBenchmark {
    private static final String EVENT = "{\"type\":\"interaction\",\"properties\":{\"object_id\":\"chair-3\","
            + "\"kind\":\"rotate\",\"value\":42.5},\"context\":{\"app\":{\"version\":\"3.2\"},\"locale\":\"de-DE\","
            + "\"consent\":{\"analytics\":true}}}";
    private static final int EVENTS_PER_BATCH = 100;

    private EnrichmentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration measured = Duration.ofSeconds(15);
        // The JIT keeps compiling Yauaa's parser for about 40 s of load (measured with JFR: 5 s of compile time per
        // 10 s at first), so a shorter warm-up measures compilation rather than enrichment. Both servers get it.
        Duration jitWarmUp = Duration.ofSeconds(45);
        String heap = "256m";
        double unique = 0.05;
        boolean profile = false;
        List<String> partial = new ArrayList<>();
        List<String> jvmExtra = new ArrayList<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "--seconds" -> measured = Duration.ofSeconds(Long.parseLong(kv[1]));
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

        Map<String, String> common = Map.of("SIGHTLINE_TRUSTED_PROXIES", "127.0.0.1/32");
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
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve("server.jfr"));
            System.out.println("Flight recordings: " + dir + "/{baseline,full}/server.jfr");
        }
        double[] without = partial.contains("baseline") ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                : run("without enrichment", baseline, dir.resolve("baseline"), jvm, jitWarmUp, measured, addresses, unique);
        double[] with = run("full enrichment", full, dir.resolve("full"), jvm, jitWarmUp, measured, addresses, unique);
        System.out.printf(Locale.ROOT, "%nSummary (target: full >= 0.8 x without)%n");
        System.out.printf(Locale.ROOT, "    /track best: %,.0f vs %,.0f events/s = %.2f x%n", with[0], without[0], with[0] / without[0]);
        System.out.printf(Locale.ROOT, "    /batch best: %,.0f vs %,.0f events/s = %.2f x%n", with[1], without[1], with[1] / without[1]);
        System.out.printf(Locale.ROOT, "    peak RSS:    %,.0f vs %,.0f MiB%n", with[2], without[2]);
        if (!profile) {
            // Two PostgreSQL clusters of a few GB each; the flight recordings are kept when asked for.
            deleteTree(dir);
        }
    }

    /** Returns best /track events/s, best /batch events/s, peak RSS MiB. */
    private static double[] run(String label, Map<String, String> env, Path dir, List<String> jvm, Duration jitWarmUp,
                                Duration measured,
                                List<String> addresses, double unique) throws Exception {
        Files.createDirectories(dir);
        System.out.println("== " + label + " " + env.keySet());
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0);
             SightlineProcess server = SightlineProcess.start(pg.jdbcUrl(), pg.password(), jvm.stream().map(o -> o.replace(dir.getParent().resolve("server.jfr").toString(),
                     dir.resolve("server.jfr").toString())).toList(), env,
                     dir.resolve("server.log"))) {
            AtomicLong peakRss = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> peakRss.accumulateAndGet(server.rssMiB()[0], Math::max), 0, 200,
                    TimeUnit.MILLISECONDS);
            LoadTarget target = LoadTarget.loopback(server.port());
            String key = server.writeKey();
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = 0; i < EVENTS_PER_BATCH; i++) {
                batch.append(i == 0 ? "" : ",").append(EVENT);
            }
            String batchBody = batch.append("]}").toString();
            LoadEngine track = new LoadEngine(target, new MixedRequestSource(target,
                    templates("/api/v1/analytics/track", EVENT, key, addresses, unique, 20_000)));
            LoadEngine batches = new LoadEngine(target, new MixedRequestSource(target,
                    templates("/api/v1/analytics/batch", batchBody, key, addresses, unique, 400)));
            // JIT warm-up, discarded: both routes, so that both paths are compiled.
            track.run(LoadPlan.closedLoop(64, Duration.ZERO, jitWarmUp.dividedBy(2)));
            batches.run(LoadPlan.closedLoop(8, Duration.ZERO, jitWarmUp.dividedBy(2)));
            Duration warmUp = Duration.ofSeconds(2);
            System.out.printf(Locale.ROOT, "    %-16s %12s %9s %9s %9s%n", "", "events/s", "p50 ms", "p99 ms", "non-200");
            double bestTrack = 0;
            for (int connections : new int[] {64, 128}) {
                bestTrack = Math.max(bestTrack, row("/track " + connections + "c",
                        track.run(LoadPlan.closedLoop(connections, warmUp, measured)), 1));
            }
            double bestBatch = 0;
            for (int connections : new int[] {8, 16}) {
                bestBatch = Math.max(bestBatch, row("/batch " + connections + "c",
                        batches.run(LoadPlan.closedLoop(connections, warmUp, measured)), EVENTS_PER_BATCH));
            }
            sampler.shutdownNow();
            System.out.printf(Locale.ROOT, "    peak RSS %d MiB, server CPU %.1f s%n", peakRss.get(),
                    server.cpu().toNanos() / 1e9);
            return new double[] {bestTrack, bestBatch, peakRss.get()};
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

    private static double row(String label, LoadReport r, int eventsPerRequest) {
        double eps = r.statuses().success() * eventsPerRequest / (r.plan().measured().toNanos() / 1e9);
        System.out.printf(Locale.ROOT, "    %-16s %,12.0f %9.2f %9.2f %9d%n", label, eps,
                r.latency().p50().toNanos() / 1e6, r.latency().p99().toNanos() / 1e6,
                r.statuses().total() - r.statuses().success());
        return eps;
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
