package io.sightline.funnel;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Times between two funnel steps in log-spaced buckets, so a day's gaps fit in a few hundred bytes and any range's
 * median comes from merging days. Bucket 0 holds gaps under 1 ms; bucket i ≥ 1 holds [1 ms × 1.02^(i-1),
 * 1 ms × 1.02^i): each bucket is 2 % wide relative to its lower edge, so a median read from it, interpolated as if
 * the bucket's values were spread evenly, is within 2 % of one taken from the values themselves. A 30-day gap is
 * bucket 1,092. Mergeable: counts add up.
 *
 * <p>Bytes: pairs of unsigned varints (bucket minus the previous pair's bucket, count), buckets ascending.
 */
public final class GapHistogram {
    static final double BASE = 1.02;
    private static final double LOG_BASE = Math.log(BASE);
    private static final long MILLI = 1_000;

    private long[] counts = new long[64];
    private long total;

    /** Adds one gap in micros (negative gaps do not occur: a chain's steps are in time order). */
    public void add(long gapMicros) {
        addTo(bucket(gapMicros), 1);
    }

    public void merge(GapHistogram other) {
        for (int b = 0; b < other.counts.length; b++) {
            if (other.counts[b] != 0) {
                addTo(b, other.counts[b]);
            }
        }
    }

    public long total() {
        return total;
    }

    /**
     * The median in seconds as PostgreSQL's {@code percentile_cont(0.5)} would give over the gaps, each value
     * estimated from its rank within its bucket; null when empty.
     */
    public Double medianSeconds() {
        if (total == 0) {
            return null;
        }
        double middle = total % 2 == 1 ? valueAt(total / 2) : (valueAt(total / 2 - 1) + valueAt(total / 2)) / 2;
        return middle / 1e6;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = 0;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] != 0) {
                varint(out, b - previous);
                varint(out, counts[b]);
                previous = b;
            }
        }
        return out.toByteArray();
    }

    public static GapHistogram fromBytes(byte[] bytes) {
        GapHistogram h = new GapHistogram();
        int[] at = {0};
        int bucket = 0;
        while (at[0] < bytes.length) {
            bucket += (int) readVarint(bytes, at);
            long count = readVarint(bytes, at);
            if (bucket < 0 || bucket > 100_000 || count <= 0) {
                throw new IllegalArgumentException("malformed gap histogram");
            }
            h.addTo(bucket, count);
        }
        return h;
    }

    static int bucket(long gapMicros) {
        if (gapMicros < MILLI) {
            return 0;
        }
        int b = 1 + (int) Math.floor(Math.log((double) gapMicros / MILLI) / LOG_BASE);
        // Guard the floating point at an edge: the bucket must hold the gap.
        while (b > 1 && gapMicros < lower(b)) {
            b--;
        }
        while (gapMicros >= lower(b + 1)) {
            b++;
        }
        return b;
    }

    /** The lower edge of bucket {@code b} in micros. */
    static double lower(int b) {
        return b == 0 ? 0 : MILLI * Math.pow(BASE, b - 1);
    }

    /** The estimated value (micros) of the gap of 0-based rank {@code rank}. */
    private double valueAt(long rank) {
        long before = 0;
        for (int b = 0; b < counts.length; b++) {
            long c = counts[b];
            if (rank < before + c) {
                double lo = lower(b);
                double hi = lower(b + 1);
                return lo + (hi - lo) * ((rank - before) + 0.5) / c;
            }
            before += c;
        }
        throw new IllegalStateException("rank " + rank + " of " + total);
    }

    private void addTo(int bucket, long count) {
        if (bucket >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(bucket + 1, counts.length * 2));
        }
        counts[bucket] += count;
        total += count;
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= bytes.length) {
                break;
            }
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed gap histogram");
    }
}
