package io.sightline.bench.load;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of one run, measured window only.
 *
 * @param latency from each request's due time: in fixed-rate mode this includes waiting for a free connection
 *     and the up to ~1 ms by which the selector's millisecond timeouts send late
 * @param serviceTime from the moment each request was actually sent (wrk2's "uncorrected" latency); the same
 *     as {@code latency} in closed loop
 * @param connectionsOpened connections (re)opened during the window, by errors or by the server closing them
 * @param overdueSends fixed rate only: requests that had fallen due by the end but were never sent, because
 *     every connection was still waiting for an earlier response
 * @param generatorCpu CPU time (user and system) the generator's I/O threads used during the window
 * @param worstBySecond the longest latency (nanoseconds) of the responses received in each second of the window, to
 *     tell a steady tail from one stall
 */
public record LoadReport(LoadPlan plan, StatusCounts statuses, long connectionErrors, long connectionsOpened,
                         LatencySummary latency, LatencySummary serviceTime, long overdueSends, Duration generatorCpu,
                         long[] worstBySecond) {

    public long completed() {
        return statuses.total();
    }

    public double requestsPerSecond() {
        return completed() / seconds(plan.measured());
    }

    /** Fixed rate only: the rate asked for, 0 in closed loop. */
    public double targetRate() {
        return plan.mode() instanceof LoadMode.FixedRate rate ? rate.requestsPerSecond() : 0;
    }

    /**
     * Fixed rate only: the connections could not keep up, so the rate was not offered and latencies of the
     * requests never sent are missing. Tolerates one due request per connection in flight at the end, or 1%.
     */
    public boolean fellBehind() {
        double expected = targetRate() * seconds(plan.measured());
        return overdueSends > Math.max(plan.connections(), expected / 100);
    }

    /** Cores the generator's I/O threads kept busy: 0.25 is a quarter of one core. */
    public double generatorCores() {
        return seconds(generatorCpu) / seconds(plan.measured());
    }

    public String summary() {
        StringBuilder s = new StringBuilder();
        if (plan.mode() instanceof LoadMode.FixedRate) {
            s.append(format("fixed rate %,.0f/s", targetRate()));
        } else {
            s.append("closed loop");
        }
        s.append(format(", %d connections, %d I/O thread(s), %.1f s measured%n", plan.connections(), plan.ioThreads(), seconds(plan.measured())));
        s.append(format("  %,d requests, %,.0f/s", completed(), requestsPerSecond()));
        if (plan.mode() instanceof LoadMode.FixedRate) {
            s.append(format(" (%.1f%% of target)", 100 * requestsPerSecond() / targetRate()));
        }
        s.append(format("%n  status: 2xx %,d | 503 %,d | other 4xx %,d | other 5xx %,d | other %,d; connection errors %,d, connections opened %,d%n",
                statuses.success(), statuses.unavailable(), statuses.clientErrors(), statuses.otherServerErrors(),
                statuses.other(), connectionErrors, connectionsOpened));
        s.append(percentiles("latency", latency));
        if (plan.mode() instanceof LoadMode.FixedRate) {
            s.append(percentiles("service time (from actual send)", serviceTime));
        }
        s.append(format("  generator I/O threads: %.3f cores", generatorCores()));
        if (fellBehind()) {
            s.append(format("%n  FELL BEHIND: %,d requests were due but never sent; add connections or lower the rate", overdueSends));
        }
        return s.toString();
    }

    private static String percentiles(String label, LatencySummary l) {
        return format("  %s ms: p50 %.3f | p99 %.3f | p99.9 %.3f | max %.3f%n",
                label, millis(l.p50()), millis(l.p99()), millis(l.p999()), millis(l.max()));
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
