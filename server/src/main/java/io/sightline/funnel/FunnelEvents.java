package io.sightline.funnel;

import java.util.Arrays;

/**
 * The events of a funnel count as they come from PostgreSQL, in time order: the actor's key shifted left by 8 with
 * the step mask in the low byte, and the time in micros since the epoch (16 bytes an event). Both readers of raw
 * events (the stats query and the daily funnel rollup) key actors the same way, {@link #actorKeySql}, so an actor
 * counted raw and one counted in a rollup are the same sketch entry ({@link #sketchHash}).
 */
public final class FunnelEvents {
    /** The key keeps the low 56 bits of PostgreSQL's hash; two of 300,000 actors share them with probability 6e-7. */
    public static final long ACTOR_BITS = (1L << 56) - 1;

    private long[] actorsAndSteps = new long[1024];
    private long[] micros = new long[1024];
    private int size;

    /** The SQL for an actor's key from its id column (a column name of the caller's own query, never input). */
    public static String actorKeySql(String idColumn) {
        return "(hashtextextended(" + idColumn + ", 0) & " + ACTOR_BITS + ")";
    }

    /**
     * The 64-bit hash under which an actor's key goes into a {@code UniqueSketch}: the key's bits spread over all
     * 64 (MurmurHash3's finaliser, a bijection), as the sketch expects of a hash. The rollup and the stats query
     * must agree on it, or an actor counted by both would count twice.
     */
    public static long sketchHash(long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    public void add(long actorKey, int stepMask, long time) {
        if (size == micros.length) {
            actorsAndSteps = Arrays.copyOf(actorsAndSteps, size * 2);
            micros = Arrays.copyOf(micros, size * 2);
        }
        actorsAndSteps[size] = (actorKey & ACTOR_BITS) << 8 | (stepMask & 0xff);
        micros[size] = time;
        size++;
    }

    public int size() {
        return size;
    }

    /**
     * Puts the events of one actor at one instant next to each other, as {@link FunnelCounter} needs: sorts each run
     * of equal times (rare and short, except batches sent without {@code occurred_at}). Call once all are added.
     */
    public FunnelEvents groupTies() {
        int start = 0;
        for (int i = 1; i <= size; i++) {
            if (i == size || micros[i] != micros[start]) {
                if (i - start > 1) {
                    Arrays.sort(actorsAndSteps, start, i);
                }
                start = i;
            }
        }
        return this;
    }

    /** Adds every event, in order, to {@code counter}. */
    public void feed(FunnelCounter counter) {
        for (int i = 0; i < size; i++) {
            counter.add(actorsAndSteps[i] >>> 8, micros[i], actorsAndSteps[i] & 0xff);
        }
    }
}
