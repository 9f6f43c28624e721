package io.sightline.bench.load;

import org.HdrHistogram.Histogram;

import java.time.Duration;

/** Percentiles of the measured latencies; {@code count} is the number of responses recorded. */
public record LatencySummary(long count, Duration p50, Duration p99, Duration p999, Duration max) {

    static LatencySummary of(Histogram nanos) {
        return new LatencySummary(nanos.getTotalCount(),
                Duration.ofNanos(nanos.getValueAtPercentile(50)),
                Duration.ofNanos(nanos.getValueAtPercentile(99)),
                Duration.ofNanos(nanos.getValueAtPercentile(99.9)),
                Duration.ofNanos(nanos.getMaxValue()));
    }
}
