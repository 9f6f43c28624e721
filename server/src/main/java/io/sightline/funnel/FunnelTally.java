package io.sightline.funnel;

import io.sightline.sketch.UniqueSketch;

/**
 * A funnel count that merges: per level k, a sketch of the actors that reached at least step k, and a histogram of
 * the gaps from step k-1 to k of each one's counted chain. The actor sets of disjoint parts of a range (days, or raw
 * ranges around them) unite exactly into the range's set, because an actor's depth over a range is the deepest any
 * one of its step-1 events reaches, and each step-1 event lies in one part; so a union of sketches counts the range
 * with only the sketch's error. Medians merge by adding histograms (see README for how that differs from raw).
 */
public final class FunnelTally {
    private final UniqueSketch[] reached;
    private final GapHistogram[] gaps;

    public FunnelTally(int steps) {
        reached = new UniqueSketch[steps];
        gaps = new GapHistogram[steps];
        for (int k = 0; k < steps; k++) {
            reached[k] = new UniqueSketch();
            gaps[k] = new GapHistogram();
        }
    }

    public int steps() {
        return reached.length;
    }

    /** Adds every actor of a finished count: into each level it reached, with its chain's gaps. */
    public void add(FunnelCounter counter) {
        counter.forEachActor((key, depth, times) -> {
            long hash = FunnelEvents.sketchHash(key);
            for (int k = 1; k <= depth; k++) {
                reached[k - 1].addHash(hash);
                if (k >= 2) {
                    gaps[k - 1].add(times[k - 1] - times[k - 2]);
                }
            }
        });
    }

    /** Merges stored level {@code k} (1-based): its actors' sketch and its gap histogram (empty for k = 1). */
    public void merge(int k, UniqueSketch actors, GapHistogram gapsToK) {
        reached[k - 1].merge(actors);
        gaps[k - 1].merge(gapsToK);
    }

    public UniqueSketch reached(int k) {
        return reached[k - 1];
    }

    public GapHistogram gaps(int k) {
        return gaps[k - 1];
    }

    /**
     * The estimated actors at level k, never more than at level k-1 (a subset's sketch never estimates more in
     * exact arithmetic; this guards the rounding).
     */
    public long count(int k) {
        long count = reached[k - 1].estimate();
        return k == 1 ? count : Math.min(count, count(k - 1));
    }
}
