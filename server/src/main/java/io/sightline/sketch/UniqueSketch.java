package io.sightline.sketch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A HyperLogLog sketch of distinct strings (unique visitors, sessions): precision p = 14, so m = 16,384 registers and
 * about 1.04 / sqrt(m) = 0.8 % standard error, from 0 to billions of distinct values. Mergeable: the sketch of a
 * union is the register-wise maximum of the sketches, so a range's uniques are the merge of its daily sketches.
 *
 * <p>Each string is hashed as UTF-8 with XXH64 (seed 0, {@link XxHash64}); the hash's top 14 bits choose a register
 * and the register keeps the largest (number of leading zeros of the remaining 50 bits) + 1 seen, at most 51. The
 * estimate is Otmar Ertl's improved raw estimator over the register histogram ({@link ErtlEstimator}).
 *
 * <p>Two representations, chosen only by the number of entries, so equal contents always give equal bytes:
 * <em>sparse</em>, while at most {@value #SPARSE_LIMIT} entries are set (an int each, so never more memory than the
 * dense form, apart from a queue of new entries of at most as many again), is a sorted int array of (index &lt;&lt; 6 | value) at the higher precision p' = 25, as in Heule et
 * al.'s HyperLogLog++: 2^25 virtual registers, so small sets count almost exactly (two ids share a register with
 * probability n^2 / 2^26: 0.015 % at n = 100, against 26 % at p = 14); <em>dense</em>, one byte per p = 14 register,
 * beyond that. A p' entry folds exactly into the p register the same hash would have set, so turning dense, or
 * merging a sparse sketch into a dense one, loses nothing that p = 14 keeps. A sketch never goes back to sparse. See
 * {@link SketchFormat} for the bytes.
 *
 * <p>Not thread-safe.
 */
public final class UniqueSketch {
    static final int P = 14;
    static final int M = 1 << P;
    /** Largest register value: 64 - p bits after the index, all zero, give 64 - p + 1. */
    static final int MAX_VALUE = 64 - P + 1;
    static final int SPARSE_LIMIT = M / 4;
    static final int SPARSE_P = 25;
    static final int SPARSE_M = 1 << SPARSE_P;
    static final int SPARSE_MAX_VALUE = 64 - SPARSE_P + 1;
    static final int VALUE_BITS = 6;
    static final int VALUE_MASK = (1 << VALUE_BITS) - 1;

    private static final int PENDING_MIN = 64;

    private int[] sparse;
    private int sparseSize;
    /** Sparse entries added but not yet in {@link #sparse}: unsorted, maybe repeated (see {@link #pend(int)}). */
    private int[] pending = new int[8];
    private int pendingSize;
    private byte[] dense;

    /** An empty sketch (estimate 0). */
    public UniqueSketch() {
        sparse = new int[4];
    }

    private UniqueSketch(int[] sparse, int sparseSize, byte[] dense) {
        this.sparse = sparse;
        this.sparseSize = sparseSize;
        this.dense = dense;
    }

    static UniqueSketch ofSparse(int[] entries, int size) {
        return new UniqueSketch(entries, size, null);
    }

    static UniqueSketch ofDense(byte[] registers) {
        return new UniqueSketch(null, 0, registers);
    }

    /** Adds one string; null is not a value (callers skip missing ids). */
    public void add(String value) {
        addHash(hash(value));
    }

    /** The hash {@link #add(String)} uses: XXH64 (seed 0) of the UTF-8 bytes; for adding one id to many sketches. */
    public static long hash(String value) {
        return XxHash64.hash(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a value by its {@link #hash(String)}. */
    public void addHash(long hash) {
        if (dense != null) {
            int index = (int) (hash >>> (64 - P));
            int rank = Math.min(Long.numberOfLeadingZeros(hash << P), 64 - P) + 1;
            if (rank > dense[index]) {
                dense[index] = (byte) rank;
            }
        } else {
            int index = (int) (hash >>> (64 - SPARSE_P));
            int rank = Math.min(Long.numberOfLeadingZeros(hash << SPARSE_P), 64 - SPARSE_P) + 1;
            pend(index << VALUE_BITS | rank);
        }
    }

    /** Makes this sketch the sketch of the union of both sets (register-wise maximum); {@code other} is unchanged. */
    public void merge(UniqueSketch other) {
        if (other == this) {
            return;
        }
        other.flush();
        if (other.dense != null) {
            flush();
            if (dense == null) {
                toDense();
            }
            mergeDense(dense, other.dense);
        } else if (dense != null) {
            foldInto(dense, other.sparse, other.sparseSize);
        } else {
            for (int i = 0; i < other.sparseSize; i++) {
                pend(other.sparse[i]);
            }
        }
    }

    /** The estimated number of distinct strings added (to this sketch or to any merged into it). */
    public long estimate() {
        flush();
        if (dense != null) {
            return Math.round(ErtlEstimator.estimate(Registers.histogram(dense), M));
        }
        int[] histogram = new int[SPARSE_MAX_VALUE + 1];
        histogram[0] = SPARSE_M - sparseSize;
        for (int i = 0; i < sparseSize; i++) {
            histogram[sparse[i] & VALUE_MASK]++;
        }
        return Math.round(ErtlEstimator.estimate(histogram, SPARSE_M));
    }

    /** The compact serialised form, readable by {@link #fromBytes(byte[])}. */
    public byte[] toBytes() {
        flush();
        return dense != null ? SketchFormat.writeDense(dense) : SketchFormat.writeSparse(sparse, sparseSize);
    }

    /** Reads {@link #toBytes()}'s form; throws IllegalArgumentException for anything else. */
    public static UniqueSketch fromBytes(byte[] bytes) {
        return SketchFormat.read(bytes);
    }

    boolean isDense() {
        flush();
        return dense != null;
    }

    /**
     * Queues a sparse entry. Entries are inserted in batches: sorted, one per index (the largest value), and merged
     * with the sorted array in one linear pass once the queue is as long as the array (at least 64), which costs
     * O(log n) per entry instead of the O(n) of inserting each into the sorted array.
     */
    private void pend(int entry) {
        if (pendingSize == pending.length) {
            if (pendingSize >= Math.max(PENDING_MIN, sparseSize)) {
                flush();
                if (dense != null) {
                    foldInto(dense, new int[] {entry}, 1);
                    return;
                }
            } else {
                pending = Arrays.copyOf(pending, Math.min(pendingSize * 2, Math.max(PENDING_MIN, sparseSize)));
            }
        }
        pending[pendingSize++] = entry;
    }

    /** Merges the queued entries into the sorted array (or the registers, past {@value #SPARSE_LIMIT} entries). */
    private void flush() {
        if (pendingSize == 0) {
            return;
        }
        Arrays.sort(pending, 0, pendingSize);
        // Sorted by index, then value: keep the last entry of each index.
        int unique = 0;
        for (int i = 0; i < pendingSize; i++) {
            if (i + 1 < pendingSize && pending[i + 1] >>> VALUE_BITS == pending[i] >>> VALUE_BITS) {
                continue;
            }
            pending[unique++] = pending[i];
        }
        pendingSize = 0;
        if (dense != null) {
            foldInto(dense, pending, unique);
        } else {
            mergeSparse(pending, unique);
        }
    }

    private void mergeSparse(int[] other, int otherSize) {
        int[] merged = new int[sparseSize + otherSize];
        int a = 0;
        int b = 0;
        int n = 0;
        while (a < sparseSize && b < otherSize) {
            int ia = sparse[a] >>> VALUE_BITS;
            int ib = other[b] >>> VALUE_BITS;
            if (ia == ib) {
                merged[n++] = Math.max(sparse[a++], other[b++]);
            } else {
                merged[n++] = ia < ib ? sparse[a++] : other[b++];
            }
        }
        while (a < sparseSize) {
            merged[n++] = sparse[a++];
        }
        while (b < otherSize) {
            merged[n++] = other[b++];
        }
        sparse = merged;
        sparseSize = n;
        if (n > SPARSE_LIMIT) {
            toDense();
        }
    }

    private void toDense() {
        byte[] registers = new byte[M];
        foldInto(registers, sparse, sparseSize);
        dense = registers;
        sparse = null;
        sparseSize = 0;
    }

    /**
     * Sets each p' = 25 entry's p = 14 register: the top 14 of its 25 index bits are the register, and the value is
     * what the same hash gives at p = 14: the leading zeros of the 11 index bits below + 1 if any is set, else 11 +
     * the p' value (at most 11 + 40 = 51, the p = 14 maximum).
     */
    private static void foldInto(byte[] registers, int[] entries, int size) {
        int lowBits = SPARSE_P - P;
        for (int i = 0; i < size; i++) {
            int index = entries[i] >>> VALUE_BITS;
            int low = index & ((1 << lowBits) - 1);
            int rank = low != 0 ? Integer.numberOfLeadingZeros(low) - (32 - lowBits) + 1 : lowBits + (entries[i] & VALUE_MASK);
            int register = index >>> lowBits;
            if (rank > registers[register]) {
                registers[register] = (byte) rank;
            }
        }
    }

    /**
     * Register-wise maximum, eight registers per long: with every register below 128, (a | 0x80) - b keeps each byte's
     * top bit iff a &gt;= b and never borrows across bytes. Measured about 5x faster than the byte loop.
     */
    private static void mergeDense(byte[] into, byte[] from) {
        for (int i = 0; i < M; i += 8) {
            long a = (long) Registers.LONGS.get(into, i);
            long b = (long) Registers.LONGS.get(from, i);
            long aWins = (((a | Registers.HIGH_BITS) - b) & Registers.HIGH_BITS) >>> 7;
            aWins = (aWins << 8) - aWins;
            Registers.LONGS.set(into, i, (a & aWins) | (b & ~aWins));
        }
    }
}
