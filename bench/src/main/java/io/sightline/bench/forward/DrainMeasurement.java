package io.sightline.bench.forward;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Forwarding throughput: a backlog of conversions was acknowledged while the server's forwarder was off (with the
 * four destinations enabled, so every event is in the outbox), then the server restarted with it on; this times
 * the drain, from the first request any receiver got to the moment every receiver had every event. The restarted
 * server's JVM is cold, so the figure is on the low side of what a warm server drains.
 */
final class DrainMeasurement {
    private DrainMeasurement() {
    }

    /**
     * @param acks the backlog: every event acknowledged before the restart
     * @param startedAt {@link System#nanoTime()} just before the forwarding server was started
     * @return conversions per second delivered to all four platforms
     */
    static double report(Rig rig, Map<UUID, Long> acks, long startedAt, Duration timeout) throws Exception {
        Duration drained = rig.probe().awaitDrained(timeout);
        if (drained == null) {
            System.out.printf(Locale.ROOT, "    !! the outbox was not drained within %s; figures below are partial%n", timeout);
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (PlatformReceiver r : rig.receivers()) {
            first = Math.min(first, r.receipts().first());
            last = Math.max(last, r.receipts().last());
        }
        System.out.printf(Locale.ROOT, "    %-11s %10s %10s %12s %9s%n", "platform", "received", "missing", "done after s", "per s");
        for (PlatformReceiver r : rig.receivers()) {
            LagSummary s = LagSummary.of(acks, r.receipts().firstReceipts());
            double took = (r.receipts().last() - first) / 1e9;
            rig.lost().addAndGet(s.missing());
            System.out.printf(Locale.ROOT, "    %-11s %,10d %,10d %12.2f %,9.0f%n", r.name(), s.count(), s.missing(), took,
                    s.count() / took);
        }
        double seconds = (last - first) / 1e9;
        double rate = acks.size() / seconds;
        System.out.printf(Locale.ROOT, "    %,d conversions to all four in %.2f s from the first request sent: %,.0f conversions/s"
                        + " (%,.0f deliveries/s)%n", acks.size(), seconds, rate, rate * rig.receivers().size());
        System.out.printf(Locale.ROOT, "    (from the server's process start: %.2f s, JVM start and migrations included)%n",
                (last - startedAt) / 1e9);
        return rate;
    }
}
