package io.sightline.stats;

import java.util.Arrays;

/**
 * Counts a funnel in one pass over the matching events in time order. Pure: no I/O.
 *
 * <p>Each actor (a visitor or a session, known here by a 64-bit hash of its id) starts the funnel with its first
 * step-1 event before {@code startsBefore}; from then on, an event reaches step k+1 when the actor has reached step k,
 * the event is one of step k+1's, strictly later than the step-k time and no later than the start plus the window.
 * Because the events come in time order, the first such event is the earliest one, which is the rule Mixpanel uses
 * for unique conversions. One event never reaches two steps: the next one must be strictly later.
 *
 * <p>The actors are kept in an open-addressing table of primitive arrays (about 16 + 8 × steps bytes per actor at
 * most half full), so 200,000 visitors of a 4-step funnel take about 10 MB.
 */
final class FunnelCounter {
    private final int steps;
    private final long windowMicros;
    private final long startsBefore;
    private final long[] reached;
    private final long[][] gaps;

    private long[] keys;
    /** Per slot: how many steps the actor has reached (0 = free slot; a stored actor has at least 1). */
    private byte[] level;
    /** Per slot: the time of step 1, then of the last step reached (micros since the epoch). */
    private long[] firstAt;
    private long[] lastAt;
    private int size;

    /**
     * @param steps        how many steps (2 to 62)
     * @param windowMicros how long after step 1 the last step may come
     * @param startsBefore only step-1 events before this instant (micros since the epoch) start the funnel
     */
    FunnelCounter(int steps, long windowMicros, long startsBefore) {
        if (steps < 2 || steps > 62) {
            throw new IllegalArgumentException("steps: " + steps);
        }
        this.steps = steps;
        this.windowMicros = windowMicros;
        this.startsBefore = startsBefore;
        this.reached = new long[steps];
        this.gaps = new long[steps][];
        for (int k = 1; k < steps; k++) {
            gaps[k] = new long[16];
        }
        keys = new long[1024];
        level = new byte[1024];
        firstAt = new long[1024];
        lastAt = new long[1024];
    }

    /**
     * Adds one event, not earlier than any added before it: its actor's hash, its time and the steps it matches
     * (bit k-1 set for step k).
     */
    void add(long actor, long micros, long stepMask) {
        int slot = slot(actor);
        int at = level[slot];
        if (at == 0) {
            if ((stepMask & 1) != 0 && micros < startsBefore) {
                keys[slot] = actor;
                level[slot] = 1;
                firstAt[slot] = micros;
                lastAt[slot] = micros;
                reached[0]++;
                if (++size * 2 > keys.length) {
                    grow();
                }
            }
            return;
        }
        if (at == steps || (stepMask & (1L << at)) == 0) {
            return;
        }
        if (micros > lastAt[slot] && micros - firstAt[slot] <= windowMicros) {
            record(at, micros - lastAt[slot]);
            reached[at]++;
            level[slot] = (byte) (at + 1);
            lastAt[slot] = micros;
        }
    }

    int steps() {
        return steps;
    }

    /** How many actors reached step {@code k} (1-based). */
    long reached(int k) {
        return reached[k - 1];
    }

    /**
     * The median time in seconds from step k-1 to step k (k ≥ 2) of the actors that reached step k, interpolated
     * between the two middle values as PostgreSQL's {@code percentile_cont(0.5)} does; null when nobody did.
     */
    Double medianSeconds(int k) {
        int n = (int) reached[k - 1];
        if (n == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(gaps[k - 1], n);
        Arrays.sort(sorted);
        double middle = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return middle / 1e6;
    }

    private void record(int step, long gapMicros) {
        long[] g = gaps[step];
        int n = (int) reached[step];
        if (n == g.length) {
            g = Arrays.copyOf(g, n * 2);
            gaps[step] = g;
        }
        g[n] = gapMicros;
    }

    /** The slot holding {@code key}, or the free slot where it would go. */
    private int slot(long key) {
        int mask = keys.length - 1;
        int i = (int) mix(key) & mask;
        while (level[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] oldKeys = keys;
        byte[] oldLevel = level;
        long[] oldFirst = firstAt;
        long[] oldLast = lastAt;
        int capacity = oldKeys.length * 2;
        keys = new long[capacity];
        level = new byte[capacity];
        firstAt = new long[capacity];
        lastAt = new long[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldLevel[i] != 0) {
                int s = slot(oldKeys[i]);
                keys[s] = oldKeys[i];
                level[s] = oldLevel[i];
                firstAt[s] = oldFirst[i];
                lastAt[s] = oldLast[i];
            }
        }
    }

    /** Spreads the hash's bits (the ids' hashes are good already; this guards against a poor one). */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
