package io.sightline.sketch;

/**
 * Otmar Ertl's improved raw estimator for HyperLogLog ("New cardinality estimation algorithms for HyperLogLog
 * sketches", 2017, section 3, algorithm 6), computed from the register histogram alone. Unlike the original HLL
 * estimator it needs no linear-counting switch and no empirical bias tables: the {@code sigma} term corrects the
 * small range (registers still 0) and the {@code tau} term the large range (registers at their maximum q + 1), so it
 * is nearly unbiased from 0 to far beyond 2^32 distinct values.
 */
final class ErtlEstimator {
    /** alpha_inf = 1 / (2 ln 2), the limit of HLL's alpha_m as m grows. */
    private static final double ALPHA_INF = 1 / (2 * Math.log(2));

    private ErtlEstimator() {
    }

    /**
     * @param histogram {@code histogram[k]} is the number of registers holding k, for k = 0 .. q + 1
     * @param m         the number of registers (the sum of the histogram)
     */
    static double estimate(int[] histogram, int m) {
        int q = histogram.length - 2;
        if (histogram[0] == m) {
            return 0;
        }
        double z = m * tau(1 - (double) histogram[q + 1] / m);
        for (int k = q; k >= 1; k--) {
            z = 0.5 * (z + histogram[k]);
        }
        z += m * sigma((double) histogram[0] / m);
        return ALPHA_INF * m * m / z;
    }

    /** sigma(x) = x + sum over k >= 1 of x^(2^k) * 2^(k-1), summed until the double stops changing. */
    static double sigma(double x) {
        if (x == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (z != previous);
        return z;
    }

    /** tau(x) = (1 - x - sum over k >= 1 of (1 - x^(2^-k))^2 * 2^-k) / 3, summed until the double stops changing. */
    static double tau(double x) {
        if (x == 0 || x == 1) {
            return 0;
        }
        double y = 1;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (z != previous);
        return z / 3;
    }
}
