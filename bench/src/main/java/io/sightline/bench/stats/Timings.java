package io.sightline.bench.stats;

import java.util.Arrays;

/** Wall times of repeated runs of one question, in milliseconds; percentiles by nearest rank. */
record Timings(double[] millis) {
    static Timings of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Timings(sorted);
    }

    double percentile(double p) {
        if (millis.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * millis.length);
        return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
    }

    double p50() {
        return percentile(50);
    }

    double p95() {
        return percentile(95);
    }
}
