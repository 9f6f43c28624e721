package io.sightline.bench.enrich;

import io.sightline.bench.Directories;
import io.sightline.bench.ingest.SightlineProcess;
import io.sightline.testing.TestGeoDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.sightline.bench.enrich.Result.median;

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
        Map<String, String> envExtra = new LinkedHashMap<>();
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
                // Server settings for both, e.g. --env=SIGHTLINE_HTTP_THREADS=32
                case "--env" -> {
                    String[] setting = kv.length == 2 ? kv[1].split("=", 2) : new String[0];
                    if (setting.length != 2) {
                        throw new IllegalArgumentException("--env needs VARIABLE=value, for example"
                                + " --env=SIGHTLINE_HTTP_THREADS=32");
                    }
                    envExtra.put(setting[0], setting[1]);
                }
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
        Map<String, String> common = new LinkedHashMap<>(Map.of("SIGHTLINE_TRUSTED_PROXIES", "127.0.0.1/32",
                "SIGHTLINE_JOBS", "false"));
        common.putAll(envExtra);
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
                Directories.deleteTree(forkDir);
            }
        }
        summarise(results);
        if (!profile) {
            Directories.deleteTree(dir);
        }
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
                    Collections.reverse(order);
                }
                for (Contender c : order) {
                    c.measureTrack(round, plan.measured());
                }
                for (Contender c : order) {
                    c.measureBatch(round, plan.measured());
                }
            }
            for (Result result : results) {
                result.endFork();
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
            for (int i = 0; i < with.routes().size(); i++) {
                Result.Measurements w = with.routes().get(i);
                Result.Measurements wo = without.routes().get(i);
                System.out.printf(Locale.ROOT, "    %s: %.2f x (per fork: %s; per round: %s)%n", w.route,
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
}
