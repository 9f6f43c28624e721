package io.sightline.bench.forward;

import java.time.Duration;
import java.util.Locale;

/**
 * The lag from acknowledgement to delivery under steady load: conversions at a fixed rate in batches of
 * {@code eventsPerRequest}, each event's ack time recorded by the {@link ConversionSender}; lag = the time the
 * receiver got it minus the time the sender got the 2xx, per platform. Both clocks are this JVM's
 * {@link System#nanoTime()}. Afterwards every acknowledged event must have reached every receiver.
 */
final class LagMeasurement {
    private LagMeasurement() {
    }

    /** Returns the worst p99 of the four platforms, in seconds; infinite when an event is missing. */
    static double run(Rig rig, double rate, int eventsPerRequest, int threads, Duration duration, Duration drainTimeout)
            throws Exception {
        rig.clearReceipts();
        ConversionSender sender = new ConversionSender(rig.batchUrl(), rig.writeKey(), rig.events(), threads, eventsPerRequest);
        ConversionSender.Result sent = sender.sendAtRate(rate, duration);
        System.out.printf(Locale.ROOT, "    offered %,.0f events/s in batches of %d for %s: %,d acknowledged (%,.0f/s), %d requests"
                        + " refused, %d without answer; latest send %d ms behind schedule%n", rate, eventsPerRequest,
                duration, sent.acks().size(), sent.eventsPerSecond(), sent.refused(), sent.errors(), sent.maxLateMillis());
        if (rig.probe().awaitDrained(drainTimeout) == null) {
            System.out.printf(Locale.ROOT, "    !! the outbox was not drained within %s%n", drainTimeout);
        }
        System.out.printf(Locale.ROOT, "    %-11s %10s %8s %9s %9s %9s%n", "platform", "received", "missing", "p50 ms", "p99 ms", "max ms");
        double worstP99 = 0;
        for (PlatformReceiver r : rig.receivers()) {
            LagSummary s = LagSummary.of(sent.acks(), r.receipts().firstReceipts());
            System.out.printf(Locale.ROOT, "    %-11s %,10d %,8d %9.1f %9.1f %9.1f%n", r.name(), s.count(), s.missing(),
                    millis(s.p50()), millis(s.p99()), millis(s.max()));
            rig.lost().addAndGet(s.missing());
            worstP99 = Math.max(worstP99, s.missing() > 0 ? Double.POSITIVE_INFINITY : s.p99().toNanos() / 1e9);
        }
        return worstP99;
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
