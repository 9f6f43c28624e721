package io.sightline.bench.forward;

import io.sightline.bench.load.LoadEngine;
import io.sightline.bench.load.LoadPlan;
import io.sightline.bench.load.LoadReport;
import io.sightline.bench.load.LoadTarget;
import io.sightline.bench.load.RequestTemplate;
import io.sightline.bench.load.UuidRequestSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ingest throughput with the four destinations enabled, as a ratio to the same server with none: {@code /batch}
 * of 100 conversions in closed loop (the load engine), alternating none, four, none, four on one server and one
 * cluster, so that drift (the table growing, autovacuum) shows as a trend rather than as a difference.
 *
 * <p>The destinations are switched with {@code PATCH {"enabled": ...}}, not created and deleted: they keep their
 * ids and metrics, and a disabled destination's rules leave {@code destination_rules}, so the writer queues nothing
 * for it, exactly as with no destination at all. After each "four" run the benchmark waits until the outbox is
 * drained before the next step, so no run pays for the previous run's forwarding; the drain is timed (a second,
 * warm figure for forwarding throughput) and every event stored during the run must reach every receiver.
 */
final class IngestComparison {
    static final int EVENTS_PER_REQUEST = 100;

    private IngestComparison() {
    }

    /** Returns the mean of the runs' four/none ratios (run 2 over run 1, run 4 over run 3). */
    static double run(Rig rig, int connections, Duration measured, Duration drainTimeout) throws Exception {
        LoadTarget target = LoadTarget.loopback(rig.server().port());
        String template = rig.events().batchTemplate(EVENTS_PER_REQUEST, UuidRequestSource.DEFAULT_PLACEHOLDER);
        LoadEngine engine = new LoadEngine(target, new DistinctTimesRequestSource(new UuidRequestSource(target,
                RequestTemplate.postJson("/api/v1/analytics/batch", Map.of("X-Write-Key", rig.writeKey()), template))));
        Duration warmUp = Duration.ofSeconds(2);

        rig.enableDestinations(false);
        engine.run(LoadPlan.closedLoop(connections, Duration.ZERO, Duration.ofSeconds(5))); // JIT warm-up, discarded

        System.out.printf(Locale.ROOT, "    %-4s %-5s %12s %8s %8s %6s %12s %10s %10s%n", "run", "dest", "events/s", "p50 ms",
                "p99 ms", "503", "left at end", "drain s", "drain/s");
        List<Double> none = new ArrayList<>();
        List<Double> four = new ArrayList<>();
        for (int run = 1; run <= 4; run++) {
            boolean enabled = run % 2 == 0;
            rig.enableDestinations(enabled);
            rig.clearReceipts();
            long storedBefore = rig.probe().storedEvents();
            LoadReport r = engine.run(LoadPlan.closedLoop(connections, warmUp, measured));
            long stopped = System.nanoTime();
            int receivedAtStop = rig.receivers().stream().mapToInt(p -> p.receipts().size()).min().orElse(0);
            double eps = r.statuses().success() * EVENTS_PER_REQUEST / (measured.toNanos() / 1e9);
            (enabled ? four : none).add(eps);
            String line = String.format(Locale.ROOT, "    %-4d %-5s %,12.0f %8.1f %8.1f %6d", run, enabled ? "four" : "none",
                    eps, millis(r.latency().p50()), millis(r.latency().p99()), r.statuses().unavailable());
            if (!enabled) {
                System.out.println(line);
            } else {
                Duration drain = rig.probe().awaitDrained(drainTimeout);
                // Counted after the drain: requests in flight when the run ended may commit after it returns.
                long stored = rig.probe().storedEvents() - storedBefore;
                long left = stored - receivedAtStop;
                double drainSeconds = rig.receivers().stream().mapToLong(p -> p.receipts().last()).max().orElse(stopped)
                        - stopped;
                drainSeconds = Math.max(0, drainSeconds / 1e9);
                System.out.printf(Locale.ROOT, "%s %,12d %10.2f %,10.0f%n", line, left, drainSeconds,
                        drainSeconds > 0 ? left / drainSeconds : 0.0);
                if (drain == null) {
                    System.out.printf(Locale.ROOT, "    !! not drained within %s%n", drainTimeout);
                }
                reportLosses(rig, stored);
            }
            long other = r.statuses().total() - r.statuses().success() - r.statuses().unavailable();
            if (other > 0 || r.connectionErrors() > 0) {
                System.out.printf(Locale.ROOT, "    !! %d other answers %s, %d connection errors%n", other,
                        r.statuses().byCode(), r.connectionErrors());
            }
        }
        rig.enableDestinations(true);
        double ratio1 = four.get(0) / none.get(0);
        double ratio2 = four.get(1) / none.get(1);
        double mean = (ratio1 + ratio2) / 2;
        System.out.printf(Locale.ROOT, "    four/none: run 2/1 %.3f, run 4/3 %.3f, mean %.3f (target >= 0.9)%n", ratio1, ratio2, mean);
        return mean;
    }

    /** Every event stored during a "four" run (warm-up included) must have reached every receiver once at least. */
    private static void reportLosses(Rig rig, long stored) {
        StringBuilder s = new StringBuilder("         stored ").append(String.format(Locale.ROOT, "%,d", stored))
                .append("; distinct received:");
        boolean lost = false;
        for (PlatformReceiver p : rig.receivers()) {
            int distinct = p.receipts().firstReceipts().size();
            s.append(String.format(Locale.ROOT, " %s %,d", p.name(), distinct));
            lost |= distinct < stored;
            rig.lost().addAndGet(Math.max(0, stored - distinct));
        }
        System.out.println(s.append(lost ? "  !! EVENTS MISSING" : "  (none missing)"));
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
