package io.sightline.bench.stats;

import java.util.Arrays;

/** Wall times of repeated runs of one question, in milliseconds; percentiles by nearest rank. */
public record Timings(double[] millis) {
    public static Timings of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Timings(sorted);
    }

    public double percentile(double p) {
        if (millis.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * millis.length);
        return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
    }

    public double p50() {
        return percentile(50);
    }

    public double p95() {
        return percentile(95);
    }

    public double max() {
        return percentile(100);
    }
}
