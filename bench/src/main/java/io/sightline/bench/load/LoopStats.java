package io.sightline.bench.load;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one I/O thread observed during the measured window. Only its own thread writes it, so the hot path has
 * no locks or shared writes; the engine merges all threads' stats once they have stopped.
 */
final class LoopStats {
    /** Longer than any run can last, so even the worst coordinated-omission latency fits. */
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(2);

    private final Timeline timeline;
    private final Histogram latencyNanos = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private final Histogram serviceNanos = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private final long[] countsByCode = new long[600];
    private long connectionErrors;
    private long connectionsOpened;
    private long overdueSends;
    private long cpuNanos;
    /** The longest latency of the responses that arrived in each second of the measured window. */
    private final long[] worstBySecond;

    LoopStats(Timeline timeline) {
        this.timeline = timeline;
        this.worstBySecond = new long[(int) ((timeline.end() - timeline.measureStart()) / 1_000_000_000L) + 1];
    }

    /** {@code latency} counts from the due time, {@code service} from the moment the request was sent. */
    void response(long now, int status, long latency, long service) {
        if (timeline.measuring(now)) {
            latencyNanos.recordValue(Math.min(latency, HIGHEST_TRACKABLE_NANOS));
            serviceNanos.recordValue(Math.min(service, HIGHEST_TRACKABLE_NANOS));
            countsByCode[status]++;
            int second = (int) ((now - timeline.measureStart()) / 1_000_000_000L);
            worstBySecond[second] = Math.max(worstBySecond[second], latency);
        }
    }

    void connectionError(long now) {
        if (timeline.measuring(now)) {
            connectionErrors++;
        }
    }

    void connectionOpened(long now) {
        if (timeline.measuring(now)) {
            connectionsOpened++;
        }
    }

    void overdue(long sends) {
        overdueSends += sends;
    }

    void cpu(long nanos) {
        cpuNanos += nanos;
    }

    static LoadReport report(LoadPlan plan, List<LoopStats> loops) {
        Histogram latency = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        Histogram service = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        long[] counts = new long[600];
        long errors = 0;
        long opened = 0;
        long overdue = 0;
        long cpu = 0;
        long[] worst = new long[loops.isEmpty() ? 0 : loops.get(0).worstBySecond.length];
        for (LoopStats loop : loops) {
            for (int s = 0; s < worst.length; s++) {
                worst[s] = Math.max(worst[s], loop.worstBySecond[s]);
            }
            latency.add(loop.latencyNanos);
            service.add(loop.serviceNanos);
            for (int code = 0; code < counts.length; code++) {
                counts[code] += loop.countsByCode[code];
            }
            errors += loop.connectionErrors;
            opened += loop.connectionsOpened;
            overdue += loop.overdueSends;
            cpu += loop.cpuNanos;
        }
        return new LoadReport(plan, StatusCounts.of(counts), errors, opened, LatencySummary.of(latency),
                LatencySummary.of(service), overdue,
                Duration.ofNanos(cpu), worst);
    }
}
