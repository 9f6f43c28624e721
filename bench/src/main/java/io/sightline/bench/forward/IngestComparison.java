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
 * of 100 conversions in closed loop (the load engine), alternating none, four, four, none, ... on one server and one
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

    /**
     * Runs {@code pairs} pairs in the order none, four, four, none, none, four, ... (each pair mirrors the one
     * before, so that a drift of the machine or the growing table over the runs weighs on both sides alike) and
     * returns the mean "four" rate over the mean "none" rate.
     */
    static double run(Rig rig, int connections, Duration measured, Duration drainTimeout, int pairs) throws Exception {
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
        for (int run = 1; run <= 2 * pairs; run++) {
            boolean enabled = fourIn(run);
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
        StringBuilder byPair = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            byPair.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", four.get(i) / none.get(i)));
        }
        double ratio = mean(four) / mean(none);
        System.out.printf(Locale.ROOT, "    four/none by pair: %s; mean four %,.0f / mean none %,.0f = %.3f (target >= 0.9)%n",
                byPair, mean(four), mean(none), ratio);
        return ratio;
    }

    /** Whether run {@code run} (from 1) has the destinations on: none, four, four, none, none, four, ... */
    static boolean fourIn(int run) {
        int pair = (run - 1) / 2;
        boolean second = (run - 1) % 2 == 1;
        return pair % 2 == 0 ? second : !second;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
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
