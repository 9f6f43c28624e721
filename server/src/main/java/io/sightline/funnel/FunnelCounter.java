package io.sightline.funnel;

import java.util.Arrays;

/**
 * Counts a funnel in one pass over the matching events in time order. Pure: no I/O.
 *
 * <p>The rule is ClickHouse's {@code windowFunnel}: an actor (a visitor or a session, known here by a 64-bit hash
 * of its id) is counted at the deepest step that any chain of its events reaches, where a chain starts at any step-1
 * event before {@code startsBefore}, takes one event per step in step order, and ends no later than its start plus
 * the window. Two further rules, stated in the README:
 * <ul>
 *   <li>Events at the same instant may follow each other in either order (a batch sent without {@code occurred_at}
 *   shares one server time, and the order within it is not stored), as in {@code windowFunnel}'s default mode.</li>
 *   <li>One event is at most one step of a chain, so {@code qr_scan,qr_scan} needs two scans
 *   ({@code windowFunnel}'s {@code strict_once}).</li>
 * </ul>
 *
 * <p>The algorithm is {@code windowFunnel}'s: for each level k an actor keeps the latest-starting chain that has
 * reached it so far. A later start is never worse (its window ends later), so an event of step k+1 needs to look
 * only at level k's chain: O(steps) per event. Events of one actor at one instant are settled together (a group),
 * from the levels as they were before that instant, so their order in the input does not matter; when one event of
 * the group matches several steps, whether the group can fill a run of steps is a small bipartite matching.
 *
 * <p>Each level keeps its chain's step times, not just its start, so that the median times between steps come from
 * the chain that counted: per actor, the latest-starting chain that reached its deepest step (of two with the same
 * start, the one found first). That is steps × (steps + 1) / 2 longs per actor (10 for 4 steps), in flat primitive
 * arrays indexed by the actor's ordinal from an open-addressing table (at most half full): about 105 bytes an actor
 * for 4 steps, no allocation per event.
 */
public final class FunnelCounter {
    private static final int MAX_MASKS = 256;

    private final int steps;
    private final long windowMicros;
    private final long startsBefore;
    /** Where level k's chain begins within an actor's block of {@link #block} longs. */
    private final int[] chainAt;
    private final int block;

    private long[] keys = new long[1024];
    /** Per slot: the actor's ordinal + 1 (0 = free slot). */
    private int[] ordinals = new int[1024];
    private int actors;
    /** Per ordinal: the deepest level reached (≥ 1: an actor is stored only once a chain starts). */
    private byte[] depth = new byte[1024];
    /** Per ordinal, per level k: the times of the k steps of that level's chain (micros since the epoch). */
    private long[] chains;

    private boolean grouping;
    private long groupActor;
    private long groupMicros;
    private final int[] groupMasks = new int[MAX_MASKS];
    private final int[] groupCounts = new int[MAX_MASKS];
    private int groupKinds;
    private int groupEvents;
    private long groupUnion;
    private boolean groupSingleBits;
    private int[] slotMasks;
    private int[] slotMatch;
    private boolean[] slotSeen;

    private long[] reached;
    private long[][] gaps;

    /**
     * @param steps        how many steps (2 to 8)
     * @param windowMicros how long after step 1 the last step may come
     * @param startsBefore only step-1 events before this instant (micros since the epoch) start the funnel
     */
    public FunnelCounter(int steps, long windowMicros, long startsBefore) {
        if (steps < 2 || steps > 8) {
            throw new IllegalArgumentException("steps: " + steps);
        }
        this.steps = steps;
        this.windowMicros = windowMicros;
        this.startsBefore = startsBefore;
        this.chainAt = new int[steps + 1];
        for (int k = 1; k <= steps; k++) {
            chainAt[k] = (k - 1) * k / 2;
        }
        this.block = steps * (steps + 1) / 2;
        this.chains = new long[depth.length * block];
    }

    /**
     * Adds one event: its actor's hash, its time and the steps it matches (bit k-1 set for step k). Events come in
     * time order, and those of one actor at one instant one after the other.
     */
    public void add(long actor, long micros, long stepMask) {
        int mask = (int) (stepMask & ((1L << steps) - 1));
        if (mask == 0) {
            return;
        }
        reached = null;
        if (!grouping || actor != groupActor || micros != groupMicros) {
            settleGroup();
            grouping = true;
            groupActor = actor;
            groupMicros = micros;
            groupKinds = 0;
            groupEvents = 0;
            groupUnion = 0;
            groupSingleBits = true;
        }
        int kind = 0;
        while (kind < groupKinds && groupMasks[kind] != mask) {
            kind++;
        }
        if (kind == groupKinds) {
            groupMasks[kind] = mask;
            groupCounts[kind] = 0;
            groupKinds++;
        }
        // More events of one kind than steps can never be used.
        if (groupCounts[kind] < steps) {
            groupCounts[kind]++;
            groupEvents++;
        }
        groupUnion |= mask;
        groupSingleBits &= Integer.bitCount(mask) == 1;
    }

    public int steps() {
        return steps;
    }

    /** How many actors reached step {@code k} (1-based). */
    public long reached(int k) {
        tally();
        return reached[k - 1];
    }

    /**
     * The median time in seconds from step k-1 to step k (k ≥ 2) in the counted chains of the actors that reached
     * step k, interpolated between the two middle values as PostgreSQL's {@code percentile_cont(0.5)} does; null
     * when nobody did.
     */
    public Double medianSeconds(int k) {
        tally();
        long[] sorted = gaps[k - 1];
        int n = sorted.length;
        if (n == 0) {
            return null;
        }
        double middle = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return middle / 1e6;
    }

    /** How many actors have started a chain so far: what this counter's memory grows with (about 110-190 bytes each). */
    public int actors() {
        return actors;
    }

    /**
     * The gaps in micros from step k-1 to step k (k ≥ 2) of the counted chains, sorted: for merging the medians of
     * counts over disjoint sets of actors. The array is this counter's own; do not change it.
     */
    public long[] sortedGaps(int k) {
        tally();
        return gaps[k - 1];
    }

    /** Told of each actor that started a chain: its key, its depth, and the step times of its deepest chain. */
    public interface ActorVisitor {
        /** {@code stepMicros[0..depth-1]} are the times of the counted chain's steps; the array is reused. */
        void actor(long key, int depth, long[] stepMicros);
    }

    /**
     * Tells {@code visitor} of every actor after the last {@link #add}: what a caller needs that merges this count
     * with others (a union of per-day actor sets, the gaps into a histogram) rather than reading the totals.
     */
    public void forEachActor(ActorVisitor visitor) {
        tally();
        long[] times = new long[steps];
        for (int slot = 0; slot < keys.length; slot++) {
            int ordinal = ordinals[slot] - 1;
            if (ordinal < 0) {
                continue;
            }
            int d = depth[ordinal];
            System.arraycopy(chains, ordinal * block + chainAt[d], times, 0, d);
            visitor.actor(keys[slot], d, times);
        }
    }

    /**
     * Applies the pending group: for each level k, from the highest down (so a level is read before it is written),
     * the latest start j-level chain the group can extend to level k.
     */
    private void settleGroup() {
        if (!grouping) {
            return;
        }
        grouping = false;
        long t = groupMicros;
        int slot = slot(groupActor);
        int ordinal = ordinals[slot] - 1;
        int d = ordinal < 0 ? 0 : depth[ordinal];
        int newDepth = d;
        for (int k = Math.min(steps, d + groupEvents); k >= 1; k--) {
            if ((groupUnion & (1L << (k - 1))) == 0) {
                continue;
            }
            // The smallest j gives the latest start (t itself for j = 0); a start out of the window ends the search.
            for (int j = Math.max(0, k - groupEvents); j <= Math.min(k - 1, d); j++) {
                long start;
                if (j == 0) {
                    if (t >= startsBefore) {
                        continue;
                    }
                    start = t;
                } else {
                    start = chains[ordinal * block + chainAt[j]];
                    if (t - start > windowMicros) {
                        break;
                    }
                }
                if (!covers(j + 1, k)) {
                    continue;
                }
                if (ordinal < 0) {
                    ordinal = insert(slot, groupActor);
                }
                int base = ordinal * block;
                if (k > d || start > chains[base + chainAt[k]]) {
                    int to = base + chainAt[k];
                    System.arraycopy(chains, base + chainAt[j], chains, to, j);
                    Arrays.fill(chains, to + j, to + k, t);
                    newDepth = Math.max(newDepth, k);
                }
                break;
            }
        }
        if (newDepth > d) {
            depth[ordinal] = (byte) newDepth;
        }
    }

    /** Whether distinct events of the group can be steps {@code from..to}, one each. */
    private boolean covers(int from, int to) {
        int need = to - from + 1;
        long range = ((1L << need) - 1) << (from - 1);
        if ((groupUnion & range) != range || need > groupEvents) {
            return false;
        }
        if (need == 1 || groupSingleBits) {
            return true;
        }
        return matches(from, to);
    }

    /** Kuhn's augmenting paths over the steps and the group's events (at most 8 steps, so tiny). */
    private boolean matches(int from, int to) {
        if (slotMasks == null) {
            slotMasks = new int[MAX_MASKS * 8];
            slotMatch = new int[MAX_MASKS * 8];
            slotSeen = new boolean[MAX_MASKS * 8];
        }
        int slots = 0;
        for (int kind = 0; kind < groupKinds; kind++) {
            for (int c = 0; c < groupCounts[kind]; c++) {
                slotMasks[slots++] = groupMasks[kind];
            }
        }
        Arrays.fill(slotMatch, 0, slots, -1);
        for (int step = from - 1; step < to; step++) {
            Arrays.fill(slotSeen, 0, slots, false);
            if (!augment(step, slots)) {
                return false;
            }
        }
        return true;
    }

    private boolean augment(int step, int slots) {
        for (int s = 0; s < slots; s++) {
            if ((slotMasks[s] & (1 << step)) != 0 && !slotSeen[s]) {
                slotSeen[s] = true;
                if (slotMatch[s] < 0 || augment(slotMatch[s], slots)) {
                    slotMatch[s] = step;
                    return true;
                }
            }
        }
        return false;
    }

    /** Counts the actors per level and collects the gaps of each one's deepest chain, once after the last add. */
    private void tally() {
        if (reached != null) {
            return;
        }
        settleGroup();
        reached = new long[steps];
        for (int a = 0; a < actors; a++) {
            for (int k = 0; k < depth[a]; k++) {
                reached[k]++;
            }
        }
        gaps = new long[steps][];
        int[] filled = new int[steps];
        for (int k = 0; k < steps; k++) {
            gaps[k] = new long[k == 0 ? 0 : (int) reached[k]];
        }
        for (int a = 0; a < actors; a++) {
            int at = a * block + chainAt[depth[a]];
            for (int k = 1; k < depth[a]; k++) {
                gaps[k][filled[k]++] = chains[at + k] - chains[at + k - 1];
            }
        }
        for (long[] g : gaps) {
            Arrays.sort(g);
        }
    }

    /** The slot holding {@code key}, or the free slot where it would go. */
    private int slot(long key) {
        int mask = keys.length - 1;
        int i = (int) mix(key) & mask;
        while (ordinals[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Stores a new actor in the free {@code slot} and answers its ordinal. */
    private int insert(int slot, long key) {
        int ordinal = actors++;
        keys[slot] = key;
        ordinals[slot] = ordinal + 1;
        if (ordinal == depth.length) {
            int capacity = depth.length + depth.length / 2;
            depth = Arrays.copyOf(depth, capacity);
            chains = Arrays.copyOf(chains, capacity * block);
        }
        if (actors * 2 > keys.length) {
            long[] oldKeys = keys;
            int[] oldOrdinals = ordinals;
            keys = new long[oldKeys.length * 2];
            ordinals = new int[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldOrdinals[i] != 0) {
                    int s = slot(oldKeys[i]);
                    keys[s] = oldKeys[i];
                    ordinals[s] = oldOrdinals[i];
                }
            }
        }
        return ordinal;
    }

    /** Spreads the hash's bits (the ids' hashes are good already; this guards against a poor one). */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
