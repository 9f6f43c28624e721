package io.sightline.bench.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks an index with fixed relative weights: a cumulative table and a binary search, O(log n) a draw. */
final class Weighted {
    private final double[] cumulative;

    Weighted(double[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("no weights");
        }
        cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0)) {
                throw new IllegalArgumentException("weight " + i + " is " + weights[i]);
            }
            sum += weights[i];
            cumulative[i] = sum;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= sum;
        }
    }

    /** Rank i (0-based) has weight 1 / (i + 1)^s: a few values take most draws, a long tail the rest. */
    static Weighted zipf(int n, double s) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 1 / Math.pow(i + 1, s);
        }
        return new Weighted(w);
    }

    int size() {
        return cumulative.length;
    }

    /** The share of draws index {@code i} gets. */
    double probability(int i) {
        return cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
    }

    int next(SplittableRandom random) {
        return index(random.nextDouble());
    }

    /** The index whose cumulative interval holds {@code u} in [0, 1). */
    int index(double u) {
        int i = Arrays.binarySearch(cumulative, u);
        i = i >= 0 ? i + 1 : -i - 1;
        return Math.min(i, cumulative.length - 1);
    }
}
