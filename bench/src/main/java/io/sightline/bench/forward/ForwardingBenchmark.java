package io.sightline.bench.forward;

import io.sightline.bench.Directories;
import io.sightline.bench.ingest.SightlineProcess;
import io.sightline.store.EmbeddedDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The forwarding benchmark of issue 15. Starts a fresh embedded PostgreSQL, local receivers for four ad platforms
 * (Meta, Google Ads with its OAuth token endpoint, LinkedIn, X: {@link PlatformReceiver}) in this JVM, and the real
 * server in its own JVM with each platform's base URL pointed at its receiver, then measures:
 * <ol>
 *   <li>forwarding throughput ({@link DrainMeasurement}): a backlog of conversions acknowledged by a server whose
 *       forwarder is off ({@code SIGHTLINE_FORWARDING=false}), drained by the same cluster's server restarted with
 *       it on;</li>
 *   <li>ingest throughput with the four destinations enabled, as a ratio to none ({@link IngestComparison});</li>
 *   <li>the lag from acknowledgement to delivery at a fixed rate ({@link LagMeasurement});</li>
 * </ol>
 * and checks that every acknowledged conversion reached each of the four receivers, then prints the server's
 * forwarding metrics.
 *
 * <pre>ForwardingBenchmark [--seconds=15] [--connections=8] [--pairs=2] [--backlog=100000] [--lag-rate=2000] [--lag-seconds=30]
 *                     [--heap=256m] [--server-opts="-Xlog:gc"] [--keep=false]</pre>
 *
 * <p>Unless {@code --keep=true}, the cluster is deleted at the end and only the logs stay in the run's directory
 * under {@code target/}.
 */
public final class ForwardingBenchmark {
    private static final int BACKLOG_THREADS = 4;
    private static final int LAG_EVENTS_PER_REQUEST = 10;
    private static final int LAG_THREADS = 16;
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);

    private ForwardingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration measured = Duration.ofSeconds(15);
        int connections = 8;
        int pairs = 2;
        long backlog = 100_000;
        double lagRate = 2_000;
        Duration lagDuration = Duration.ofSeconds(30);
        String heap = "256m";
        List<String> extraServerOptions = List.of();
        boolean keep = false;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "--seconds" -> measured = Duration.ofSeconds(Long.parseLong(kv[1]));
                case "--connections" -> connections = Integer.parseInt(kv[1]);
                case "--pairs" -> pairs = Integer.parseInt(kv[1]);
                case "--backlog" -> backlog = Long.parseLong(kv[1]);
                case "--lag-rate" -> lagRate = Double.parseDouble(kv[1]);
                case "--lag-seconds" -> lagDuration = Duration.ofSeconds(Long.parseLong(kv[1]));
                case "--heap" -> heap = kv[1];
                case "--server-opts" -> extraServerOptions = List.of(kv[1].trim().split("\\s+"));
                case "--keep" -> keep = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException("unknown option " + kv[0]);
            }
        }
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "forward-bench-");
        List<String> jvm = new ArrayList<>(SightlineProcess.readmeJvm(heap));
        jvm.addAll(extraServerOptions);
        System.out.printf(Locale.ROOT, "Sightline forwarding benchmark: %d cores, server JVM %s, run directory %s%n%n",
                Runtime.getRuntime().availableProcessors(), jvm, dir);

        List<PlatformReceiver> receivers = new ArrayList<>();
        try {
            receivers.add(PlatformReceiver.meta());
            receivers.add(PlatformReceiver.googleAds());
            receivers.add(PlatformReceiver.linkedIn());
            receivers.add(PlatformReceiver.x());
            Map<String, String> env = serverEnv(receivers, dir);
            ConversionEvents events = new ConversionEvents();
            try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0);
                 OutboxProbe probe = new OutboxProbe(pg.jdbcUrl(), pg.user(), pg.password())) {
                Backlog setUp = backlog(pg, jvm, env, dir, events, probe, receivers, backlog);
                long startedAt = System.nanoTime();
                Map<String, String> forwarding = new HashMap<>(env);
                forwarding.put("SIGHTLINE_FORWARDING", "true");
                try (SightlineProcess server = SightlineProcess.start(pg.jdbcUrl(), pg.password(), jvm, forwarding,
                        dir.resolve("server-forwarding.log"))) {
                    Rig rig = new Rig(server, setUp.writeKey(), setUp.adminToken(), setUp.appId(), setUp.destinations(),
                            new AdminApi(server.port(), setUp.adminToken()), probe, receivers, events, new AtomicLong());
                    measure(rig, setUp.acks(), startedAt, connections, pairs, measured, lagRate, lagDuration);
                }
            }
        } finally {
            receivers.forEach(PlatformReceiver::close);
            if (!keep) {
                Directories.keepLogsOnly(dir);
            }
        }
    }

    /** What the first server leaves the second: its credentials (printed at the first start only), ids, the backlog. */
    private record Backlog(String writeKey, String adminToken, long appId, List<Long> destinations, Map<UUID, Long> acks) {}

    /**
     * First server, forwarder off: creates the four destinations (enabled, so every event enters the outbox) and
     * sends the backlog.
     */
    private static Backlog backlog(EmbeddedDatabase pg, List<String> jvm, Map<String, String> env, Path dir,
                               ConversionEvents events, OutboxProbe probe, List<PlatformReceiver> receivers, long size)
            throws Exception {
        Map<String, String> off = new HashMap<>(env);
        off.put("SIGHTLINE_FORWARDING", "false");
        try (SightlineProcess server = SightlineProcess.start(pg.jdbcUrl(), pg.password(), jvm, off,
                dir.resolve("server-backlog.log"))) {
            String adminToken = server.adminToken();
            AdminApi admin = new AdminApi(server.port(), adminToken);
            long appId = server.appId();
            List<Long> destinations = admin.createAdDestinations(appId);
            Rig rig = new Rig(server, server.writeKey(), adminToken, appId, destinations, admin, probe, receivers,
                    events, new AtomicLong());
            System.out.printf(Locale.ROOT, "(1) Forwarding throughput: a backlog of %,d conversions acknowledged with the"
                    + " forwarder off, then drained by the server restarted with it on%n", size);
            ConversionSender.Result sent = new ConversionSender(rig.batchUrl(), rig.writeKey(), events, BACKLOG_THREADS,
                    IngestComparison.EVENTS_PER_REQUEST).sendAsFastAsPossible(size);
            System.out.printf(Locale.ROOT, "    backlog: %,d acknowledged in %.1f s (%d requests refused, %d without answer)"
                            + "; %,d waiting in the outbox%n", sent.acks().size(), sent.elapsed().toNanos() / 1e9,
                    sent.refused(), sent.errors(), probe.waiting());
            return new Backlog(rig.writeKey(), adminToken, appId, destinations, sent.acks());
        }
    }

    private static void measure(Rig rig, Map<UUID, Long> backlogAcks, long startedAt, int connections, int pairs,
                                Duration measured, double lagRate, Duration lagDuration) throws Exception {
        double forwardRate = DrainMeasurement.report(rig, backlogAcks, startedAt, DRAIN_TIMEOUT);

        System.out.printf(Locale.ROOT, "%n(2) Ingest throughput: /batch of %d conversions, closed loop, %d connections,"
                        + " %s per run; destinations switched with PATCH enabled%n",
                IngestComparison.EVENTS_PER_REQUEST, connections, measured);
        double ratio = IngestComparison.run(rig, connections, measured, DRAIN_TIMEOUT, pairs);

        System.out.printf(Locale.ROOT, "%n(3) Lag from acknowledgement to delivery, fixed rate%n");
        double worstP99 = LagMeasurement.run(rig, lagRate, LAG_EVENTS_PER_REQUEST, LAG_THREADS, lagDuration, DRAIN_TIMEOUT);

        System.out.printf(Locale.ROOT, "%nServer metrics (sightline_forward_*)%n");
        for (String line : rig.server().metrics(rig.adminToken()).split("\n")) {
            if (line.startsWith("sightline_forward_")) {
                System.out.println("    " + line);
            }
        }
        Map<String, Long> undelivered = rig.probe().undelivered();
        System.out.printf(Locale.ROOT, "%nSummary%n");
        System.out.printf(Locale.ROOT, "    ingest with four destinations / none: %.3f (target >= 0.9)%n", ratio);
        System.out.printf(Locale.ROOT, "    forwarding throughput (backlog drain, cold server): %,.0f conversions/s to all four"
                + " (target >= 5,000)%n", forwardRate);
        System.out.printf(Locale.ROOT, "    lag p99 at %,.0f events/s, worst platform: %s (target <= 2 s)%n", lagRate,
                Double.isInfinite(worstP99) ? "events missing" : String.format(Locale.ROOT, "%.3f s", worstP99));
        System.out.printf(Locale.ROOT, "    lost (acknowledged, never received, summed over platforms): %,d; deliveries not"
                + " delivered by status: %s%n", rig.lost().get(), undelivered.isEmpty() ? "none" : undelivered);
        System.out.printf(Locale.ROOT, "    receivers: %s%n", requests(rig.receivers()));
        System.out.printf(Locale.ROOT, "    server CPU over the forwarding server's life: %.1f s%n",
                rig.server().cpu().toNanos() / 1e9);
    }

    private static String requests(List<PlatformReceiver> receivers) {
        StringBuilder s = new StringBuilder();
        for (PlatformReceiver r : receivers) {
            s.append(s.length() == 0 ? "" : ", ").append(r.name()).append(' ').append(r.requests()).append(" requests");
            if (r.refused() > 0) {
                s.append(" (").append(r.refused()).append(" refused)");
            }
        }
        receivers.stream().filter(r -> r.tokensIssued() > 0)
                .forEach(r -> s.append(", ").append(r.tokensIssued()).append(" OAuth tokens issued"));
        return s.toString();
    }

    /** Each platform's base URL at its receiver; a fresh secret key, so no key file is written anywhere. */
    private static Map<String, String> serverEnv(List<PlatformReceiver> receivers, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("SIGHTLINE_META_BASE_URL", receivers.get(0).baseUrl().toString());
        env.put("SIGHTLINE_GOOGLE_ADS_BASE_URL", receivers.get(1).baseUrl().toString());
        env.put("SIGHTLINE_GOOGLE_OAUTH_URL", receivers.get(1).baseUrl() + "/token");
        env.put("SIGHTLINE_LINKEDIN_BASE_URL", receivers.get(2).baseUrl().toString());
        env.put("SIGHTLINE_X_BASE_URL", receivers.get(3).baseUrl().toString());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        env.put("SIGHTLINE_SECRET_KEY", Base64.getEncoder().encodeToString(key));
        env.put("SIGHTLINE_DATA_DIR", dir.resolve("server-data").toString());
        return env;
    }
}
