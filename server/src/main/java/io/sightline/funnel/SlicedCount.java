package io.sightline.funnel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact count of a funnel whose actors were counted in slices (disjoint sets of actors, one {@link FunnelCounter}
 * each, so that no one counter outgrows the heap): the actors per level add up, and the medians come from the union
 * of every slice's gaps, as if one counter had seen them all. Pure: no I/O.
 */
public final class SlicedCount {
    private final int steps;
    private final long[] reached;
    private final List<List<long[]>> gaps = new ArrayList<>();

    public SlicedCount(int steps) {
        this.steps = steps;
        this.reached = new long[steps];
        for (int k = 0; k < steps; k++) {
            gaps.add(new ArrayList<>());
        }
    }

    /** Adds one slice's finished count; the counter may be dropped afterwards (its gaps are kept, not copied). */
    public void add(FunnelCounter slice) {
        for (int k = 1; k <= steps; k++) {
            reached[k - 1] += slice.reached(k);
            if (k >= 2) {
                gaps.get(k - 1).add(slice.sortedGaps(k));
            }
        }
    }

    public long reached(int k) {
        return reached[k - 1];
    }

    /** As {@link FunnelCounter#medianSeconds}, over the gaps of every slice. */
    public Double medianSeconds(int k) {
        List<long[]> parts = gaps.get(k - 1);
        long[] all = parts.size() == 1 ? parts.get(0) : merged(parts);
        int n = all.length;
        if (n == 0) {
            return null;
        }
        double middle = n % 2 == 1 ? all[n / 2] : (all[n / 2 - 1] + all[n / 2]) / 2.0;
        return middle / 1e6;
    }

    private static long[] merged(List<long[]> parts) {
        long[] all = new long[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Arrays.sort(all);
        return all;
    }
}
