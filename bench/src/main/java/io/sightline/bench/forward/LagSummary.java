package io.sightline.bench.forward;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

/**
 * The lag from acknowledgement to delivery of one platform: for each acknowledged event, its first receive time
 * at the platform's receiver minus the time the sender got the 2xx. Percentiles by nearest rank on the exact
 * values (a few hundred thousand at most, so no histogram is needed). A lag can be slightly negative: the
 * forwarder may send an event before the sender has read the server's answer.
 *
 * @param count acknowledged events that arrived
 * @param missing acknowledged events that never arrived
 */
record LagSummary(int count, int missing, Duration p50, Duration p99, Duration max) {

    static LagSummary of(Map<UUID, Long> ackNanos, Map<UUID, Long> firstReceiptNanos) {
        long[] lags = new long[ackNanos.size()];
        int n = 0;
        int missing = 0;
        for (Map.Entry<UUID, Long> ack : ackNanos.entrySet()) {
            Long received = firstReceiptNanos.get(ack.getKey());
            if (received == null) {
                missing++;
            } else {
                lags[n++] = received - ack.getValue();
            }
        }
        if (n == 0) {
            return new LagSummary(0, missing, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        long[] sorted = Arrays.copyOf(lags, n);
        Arrays.sort(sorted);
        return new LagSummary(n, missing, Duration.ofNanos(percentile(sorted, 50)),
                Duration.ofNanos(percentile(sorted, 99)), Duration.ofNanos(sorted[n - 1]));
    }

    /** Nearest rank: the smallest value with at least {@code p} percent of the values at or below it. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
