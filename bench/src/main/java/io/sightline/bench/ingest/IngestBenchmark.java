package io.sightline.bench.ingest;

import io.sightline.bench.Directories;
import io.sightline.bench.load.LoadEngine;
import io.sightline.bench.load.LoadPlan;
import io.sightline.bench.load.LoadReport;
import io.sightline.bench.load.LoadTarget;
import io.sightline.bench.load.RequestTemplate;
import io.sightline.bench.load.ServerProcess;
import io.sightline.bench.load.UuidRequestSource;
import io.sightline.store.EmbeddedDatabase;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingestion benchmark of the foundation issue. Starts a fresh embedded PostgreSQL and the real server in
 * its own JVM (the heap given by {@code --heap}), then measures over HTTP:
 * <ol>
 *   <li>single-event {@code /track} in closed loop at increasing concurrency;</li>
 *   <li>{@code /track} at a fixed rate of half the best closed-loop rate (latency from the intended send time);</li>
 *   <li>{@code /batch} with 100 events per request;</li>
 *   <li>with {@code --protocol=segment}, also Segment's {@code /v1/batch} with the same 100 events as Segment
 *       messages, alternating with {@code /batch} in ABBA order on the same connections, and its throughput as a
 *       ratio to {@code /batch}'s;</li>
 *   <li>the physical limits: raw COPY of the same rows into the same table, and a plain Javalin POST hello-world;</li>
 * </ol>
 * and prints events/s, ack latency p50/p99/max, the server's peak RSS and the ratios the targets speak of.
 *
 * <pre>IngestBenchmark [--seconds=10] [--track=16,64,128,256,512] [--batch=4,8,16] [--heap=256m] [--server-opts="-Xlog:gc"]
 *                 [--keep=false] [--protocol=native|segment]</pre>
 *
 * <p>A run writes 3-5 GB into its cluster (WAL above all); unless {@code --keep=true}, the cluster is deleted at the
 * end and only the logs stay in the run's directory under {@code target/} (PostgreSQL's in {@code postgres-log/}).
 */
public final class IngestBenchmark {
    private static final String EVENT = "{\"event_id\":\"${uuid}\",\"type\":\"interaction\",\"occurred_at\":\"%s\","
            + "\"session_id\":\"bench-session\",\"properties\":{\"object_id\":\"chair-3\",\"kind\":\"rotate\",\"value\":42.5},"
            + "\"context\":{\"device\":{\"os\":\"iOS\",\"os_version\":\"17.4\",\"model\":\"iPhone14,2\",\"type\":\"phone\"},"
            + "\"app\":{\"version\":\"2.3.0\",\"build\":\"41\"},\"locale\":\"de-DE\",\"consent\":{\"analytics\":true,\"ads\":false}}}";
    /**
     * The same event as a Segment message (the five type names map by themselves). Segment has no session id, so the
     * server's session step assigns one, as it would for an app using a Segment SDK.
     */
    private static final String SEGMENT_MESSAGE = "{\"type\":\"track\",\"event\":\"interaction\",\"messageId\":\"${uuid}\","
            + "\"timestamp\":\"%s\",\"properties\":{\"object_id\":\"chair-3\",\"kind\":\"rotate\",\"value\":42.5},"
            + "\"context\":{\"os\":{\"name\":\"iOS\",\"version\":\"17.4\"},\"device\":{\"model\":\"iPhone14,2\"},"
            + "\"app\":{\"version\":\"2.3.0\",\"build\":\"41\"},\"locale\":\"de-DE\","
            + "\"consent\":{\"categoryPreferences\":{\"Analytics\":true,\"Advertising\":false}}}}";
    private static final int EVENTS_PER_BATCH = 100;

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration measured = Duration.ofSeconds(10);
        List<Integer> trackConnections = List.of(16, 64, 128, 256, 512);
        List<Integer> batchConnections = List.of(4, 8, 16);
        String heap = "256m";
        List<String> extraServerOptions = List.of();
        boolean keep = false;
        boolean segment = false;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "--seconds" -> measured = Duration.ofSeconds(Long.parseLong(kv[1]));
                case "--track" -> trackConnections = Arrays.stream(kv[1].split(",")).map(Integer::valueOf).toList();
                case "--batch" -> batchConnections = Arrays.stream(kv[1].split(",")).map(Integer::valueOf).toList();
                case "--heap" -> heap = kv[1];
                case "--server-opts" -> extraServerOptions = List.of(kv[1].trim().split("\\s+"));
                case "--keep" -> keep = Boolean.parseBoolean(kv[1]);
                case "--protocol" -> segment = switch (kv[1]) {
                    case "segment" -> true;
                    case "native" -> false;
                    default -> throw new IllegalArgumentException("--protocol is native or segment, not " + kv[1]);
                };
                default -> throw new IllegalArgumentException("unknown option " + kv[0]);
            }
        }
        Duration warmUp = Duration.ofSeconds(2);
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "ingest-bench-");
        String occurredAt = Instant.now().minusSeconds(60).toString();
        String event = String.format(Locale.ROOT, EVENT, occurredAt);
        StringBuilder batchBody = new StringBuilder("{\"events\":[");
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            batchBody.append(i == 0 ? "" : ",").append(event);
        }
        String batch = batchBody.append("]}").toString();
        String segmentMessage = String.format(Locale.ROOT, SEGMENT_MESSAGE, occurredAt);
        StringBuilder segmentBody = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            segmentBody.append(i == 0 ? "" : ",").append(segmentMessage);
        }
        String segmentBatch = segmentBody.append("]}").toString();
        List<String> jvm = SightlineProcess.readmeJvm(heap); // as the README starts the server
        List<String> serverJvm = new ArrayList<>(jvm);
        serverJvm.add(StallSources.gcLogOption(dir.resolve("gc.log")));
        serverJvm.addAll(extraServerOptions);
        System.out.printf(Locale.ROOT, "Sightline ingestion benchmark: %d cores, server JVM %s, %s per step%n%n",
                Runtime.getRuntime().availableProcessors(), jvm, measured);

        try {
            try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0);
                 SightlineProcess server = SightlineProcess.start(pg.jdbcUrl(), pg.password(), serverJvm, dir.resolve("server.log"))) {
                logEveryAutovacuum(pg);
                StallSources stalls = new StallSources(dir.resolve("postgres").resolve("log"), dir.resolve("gc.log"));
                AtomicLong peakRss = new AtomicLong();
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                sampler.scheduleAtFixedRate(() -> peakRss.accumulateAndGet(server.rssMiB()[0], Math::max), 0, 200, TimeUnit.MILLISECONDS);

                LoadTarget target = LoadTarget.loopback(server.port());
                Map<String, String> auth = Map.of("X-Write-Key", server.writeKey());
                LoadEngine track = new LoadEngine(target, new UuidRequestSource(target,
                        RequestTemplate.postJson("/api/v1/analytics/track", auth, event)));
                LoadEngine batches = new LoadEngine(target, new UuidRequestSource(target,
                        RequestTemplate.postJson("/api/v1/analytics/batch", auth, batch)));

                System.out.println(warmUntilCompiled(track, 64, server.pid()));

                System.out.println("(a) POST /api/v1/analytics/track, one event per request, closed loop");
                header();
                double bestTrack = 0;
                int bestConnections = trackConnections.get(0);
                for (int connections : trackConnections) {
                    Map<String, Double> threadsBefore = ThreadCpu.of(server.pid());
                    LoadReport r = track.run(LoadPlan.closedLoop(connections, warmUp, measured));
                    double eps = row(connections + " conn", r, 1);
                    System.out.printf(Locale.ROOT, "      the server's JIT compile threads meanwhile: %.1f s of CPU%n",
                            ThreadCpu.minus(ThreadCpu.of(server.pid()), threadsBefore).getOrDefault("jit", 0.0));
                    if (eps > bestTrack) {
                        bestTrack = eps;
                        bestConnections = connections;
                    }
                }
                // Latency at half the best rate, over as many connections as the best run and over 64 (a typical
                // fan-in from a load balancer): fewer connections queue requests at the client, more add server work.
                double halfRate = Math.floor(bestTrack / 2);
                System.out.printf(Locale.ROOT, "%n    fixed rate at half the best: %,.0f/s, latency from the intended send time%n", halfRate);
                header();
                LoadReport fixed = null;
                // Each half-rate step follows an overload step (the closed loop at the most connections): in its first
                // seconds, requests wait up to ~1 s before they can even be sent while the service time stays at ~15 ms
                // (the per-second line below shows it). That is the previous step's wake, not half-load latency, so
                // these steps warm up for 10 s instead of 2.
                Duration settle = Duration.ofSeconds(10);
                for (int connections : new java.util.TreeSet<>(List.of(64, bestConnections))) {
                    CommitHistogram commitsBefore = CommitHistogram.parse(server.metrics());
                    Instant stepStart = Instant.now();
                    LoadReport r = track.run(LoadPlan.fixedRate(halfRate, connections, settle, measured.multipliedBy(2)));
                    Instant stepEnd = Instant.now();
                    row(connections + " conn", r, 1);
                    // The whole step, warm-up included: a stall just before the measured window still delays it.
                    System.out.println("      " + worstBySecond(r));
                    System.out.println("      " + CommitHistogram.parse(server.metrics()).minus(commitsBefore).describe());
                    System.out.println("      " + stalls.during(stepStart, stepEnd));
                    if (r.fellBehind()) {
                        System.out.println("    FELL BEHIND: the connections could not offer the rate");
                    }
                    if (fixed == null || r.latency().p99().compareTo(fixed.latency().p99()) > 0) {
                        fixed = r;
                    }
                }

                System.out.printf(Locale.ROOT, "%n(b) POST /api/v1/analytics/batch, %d events per request, closed loop%n", EVENTS_PER_BATCH);
                header();
                double bestBatch = 0;
                for (int connections : batchConnections) {
                    bestBatch = Math.max(bestBatch, row(connections + " conn", batches.run(LoadPlan.closedLoop(connections, warmUp, measured)), EVENTS_PER_BATCH));
                }
                double segmentRatio = 0;
                double segmentBest = 0;
                if (segment) {
                    // Every step leaves the tables (and event_keys' B-tree) larger, so a later step is slower than an
                    // earlier one of the same kind. The two protocols therefore alternate in ABBA order on the same
                    // connections, and the ratio is of the sums, which cancels a steady drift.
                    int connections = batchConnections.get(batchConnections.size() - 1);
                    System.out.printf(Locale.ROOT, "%n(b2) POST /v1/batch (Segment), the same %d events as Segment messages, "
                            + "alternating with /batch (ABBA), %d connections, closed loop%n", EVENTS_PER_BATCH, connections);
                    LoadEngine segmentBatches = new LoadEngine(target, new UuidRequestSource(target,
                            RequestTemplate.postJson("/v1/batch", Map.of("Authorization", basic(server.writeKey())), segmentBatch)));
                    // The Segment path has not run yet: its JIT warm-up, discarded, as for /track above.
                    System.out.println(warmUntilCompiled(segmentBatches, connections, server.pid()));
                    header();
                    double segmentSum = 0;
                    double nativeSum = 0;
                    for (int round = 0; round < 4; round++) {
                        boolean segmentTurn = round == 0 || round == 3;
                        LoadEngine engine = segmentTurn ? segmentBatches : batches;
                        double eps = row(segmentTurn ? "Segment" : "/batch", engine.run(LoadPlan.closedLoop(connections, warmUp, measured)),
                                EVENTS_PER_BATCH);
                        if (segmentTurn) {
                            segmentSum += eps;
                            segmentBest = Math.max(segmentBest, eps);
                        } else {
                            nativeSum += eps;
                        }
                    }
                    segmentRatio = segmentSum / nativeSum;
                }
                long rssUnderLoad = peakRss.get();
                sampler.shutdownNow();
                long[] rss = server.rssMiB();

                System.out.printf(Locale.ROOT, "%n(c) physical limits%n");
                double copy = RawCopy.rowsPerSecond(pg.jdbcUrl(), pg.password(), measured);
                System.out.printf(Locale.ROOT, "    raw COPY into analytics_events, 5,000 rows per commit: %,.0f rows/s%n", copy);
                double hello;
                try (ServerProcess helloServer = ServerProcess.start("io.sightline.bench.hello.HelloServer", jvm)) {
                    LoadTarget helloTarget = LoadTarget.loopback(helloServer.port());
                    LoadEngine helloEngine = new LoadEngine(helloTarget, new UuidRequestSource(helloTarget,
                            RequestTemplate.postJson("/hello", Map.of(), event)));
                    helloEngine.run(LoadPlan.closedLoop(64, Duration.ZERO, Duration.ofSeconds(5)));
                    LoadReport h = helloEngine.run(LoadPlan.closedLoop(bestConnections, warmUp, measured));
                    hello = h.statuses().success() / seconds(measured);
                    System.out.printf(Locale.ROOT, "    Javalin POST hello-world (own JVM, same heap), %d conn: %,.0f req/s%n",
                            bestConnections, hello);
                }

                System.out.printf(Locale.ROOT, "%nSummary%n");
                System.out.printf(Locale.ROOT, "    single-event ingest, best:   %,.0f events/s at %d connections (target >= 15,000)%n", bestTrack, bestConnections);
                System.out.printf(Locale.ROOT, "    ... at half that rate:       p99 %.1f ms, the worse of the runs above (target <= 25 ms)%n",
                        millis(fixed.latency().p99()));
                System.out.printf(Locale.ROOT, "    batch ingest, best:          %,.0f events/s = %.2f x raw COPY (target >= 0.5)%n", bestBatch, bestBatch / copy);
                if (segment) {
                    System.out.printf(Locale.ROOT, "    Segment /v1/batch, best:     %,.0f events/s; ABBA sum = %.2f x /api/v1/analytics/batch (target >= 0.9)%n",
                            segmentBest, segmentRatio);
                }
                System.out.printf(Locale.ROOT, "    track vs hello-world:        %.2f%n", bestTrack / hello);
                System.out.printf(Locale.ROOT, "    server RSS: peak under load %d MiB, VmHWM %d MiB (target <= 512)%n", rssUnderLoad, rss[1]);
                System.out.printf(Locale.ROOT, "    server CPU over the run:     %.1f s%n", seconds(server.cpu()));
            }
        } finally {
            if (!keep) {
                Directories.keepLogsOnly(dir);
            }
        }
    }

    /**
     * Runs {@code engine} closed-loop, unmeasured, in 4-second rounds (at least two) until the server's JIT compile
     * threads used less than a tenth of a core in the last round, or for at most 60 s. On 2 cores a fixed 8-second
     * warm-up was not enough: C1 and C2 still took 0.5-0.9 of a core through the first /track steps that followed
     * (20-30 s in all), so those steps measured the compiler as much as the server. Says how long it took.
     */
    private static String warmUntilCompiled(LoadEngine engine, int connections, long serverPid) throws Exception {
        Duration round = Duration.ofSeconds(4);
        int rounds = 0;
        double jitTotal = 0;
        double jitLast;
        do {
            Map<String, Double> before = ThreadCpu.of(serverPid);
            engine.run(LoadPlan.closedLoop(connections, Duration.ZERO, round));
            jitLast = ThreadCpu.minus(ThreadCpu.of(serverPid), before).getOrDefault("jit", 0.0);
            jitTotal += jitLast;
            rounds++;
        } while (rounds < 2 || (jitLast > 0.1 * seconds(round) && rounds < 15));
        return String.format(Locale.ROOT, "    (JIT warm-up, discarded: %d s at %d connections; the compile threads used %.1f s"
                + " of CPU, %.2f s in the last 4 s)", rounds * round.toSeconds(), connections, jitTotal, jitLast);
    }

    /**
     * Makes the cluster log every autovacuum and autoanalyze (the server's own setting logs only slow ones), so the
     * half-rate steps can say whether one ran meanwhile.
     */
    private static void logEveryAutovacuum(EmbeddedDatabase pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET log_autovacuum_min_duration = 0");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    /** "service p99 4.1 ms, 0 connections opened; worst per second (ms): 9 12 980 14 …". */
    private static String worstBySecond(LoadReport r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "service time p99 %.1f ms, %d connections opened; worst latency per second (ms):",
                millis(r.serviceTime().p99()), r.connectionsOpened()));
        for (long nanos : r.worstBySecond()) {
            s.append(' ').append(nanos / 1_000_000);
        }
        return s.toString();
    }

    private static void header() {
        System.out.printf(Locale.ROOT, "    %-9s %12s %9s %9s %9s %9s %6s %9s%n",
                "", "events/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "503", "gen cores");
    }

    private static double row(String label, LoadReport r, int eventsPerRequest) {
        double eps = r.statuses().success() * eventsPerRequest / seconds(r.plan().measured());
        System.out.printf(Locale.ROOT, "    %-9s %,12.0f %9.2f %9.2f %9.2f %9.2f %6d %9.2f%n", label, eps,
                millis(r.latency().p50()), millis(r.latency().p99()), millis(r.latency().p999()), millis(r.latency().max()),
                r.statuses().unavailable(), r.generatorCores());
        long other = r.statuses().total() - r.statuses().success() - r.statuses().unavailable();
        if (other > 0 || r.connectionErrors() > 0) {
            System.out.printf(Locale.ROOT, "    !! %d non-2xx/503 answers %s, %d connection errors%n", other, r.statuses().byCode(), r.connectionErrors());
        }
        return eps;
    }

    /** The write key as the HTTP Basic user, as Segment's SDKs send it. */
    private static String basic(String writeKey) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((writeKey + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
