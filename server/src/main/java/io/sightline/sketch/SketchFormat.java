package io.sightline.sketch;

import java.util.Arrays;

import static io.sightline.sketch.UniqueSketch.M;
import static io.sightline.sketch.UniqueSketch.MAX_VALUE;
import static io.sightline.sketch.UniqueSketch.SPARSE_LIMIT;
import static io.sightline.sketch.UniqueSketch.SPARSE_M;
import static io.sightline.sketch.UniqueSketch.SPARSE_MAX_VALUE;
import static io.sightline.sketch.UniqueSketch.VALUE_BITS;
import static io.sightline.sketch.UniqueSketch.VALUE_MASK;

/**
 * The serialised sketch. Byte 0 is the format: the high nibble the version (1: p = 14, XXH64 seed 0), the low nibble
 * the layout.
 * <ul>
 *   <li>{@code 0x11} sparse: a varint count, then each p' = 25 entry (index &lt;&lt; 6 | value, 31 bits) as the
 *   varint of its difference to the previous entry (the first to 0). 3 distinct ids take at most 1 + 1 + 3 * 5 = 17
 *   bytes; the most a sparse sketch takes (4,096 entries) is about 12 KiB.</li>
 *   <li>{@code 0x12} dense: the 16,384 registers, one byte each: 16,385 bytes.</li>
 * </ul>
 * Varints are unsigned LEB128 (7 bits a byte, low group first). Readers accept only what the writers produce: sorted
 * distinct indexes, values 1 .. 40 (sparse) or 0 .. 51 (dense), sparse only up to the sparse limit, no trailing bytes.
 *
 * <p>Dense is not packed to 6 bits (12,289 bytes): measured on 2 shared cores, reading a packed sketch took 12-30 us
 * against 2-6 us for the plain bytes (a copy and one word-at-a-time validation pass), and every stats read of a
 * rolled-up range reads and merges one sketch per row and day. Only rows with more than 4,096 distinct ids that day are
 * dense, so the extra 4 KiB applies to few rows.
 */
final class SketchFormat {
    static final byte SPARSE = 0x11;
    static final byte DENSE = 0x12;
    static final int DENSE_BYTES = 1 + M;

    private SketchFormat() {
    }

    static byte[] writeSparse(int[] entries, int size) {
        byte[] out = new byte[1 + 5 + size * 5];
        out[0] = SPARSE;
        int at = writeVarint(out, 1, size);
        int previous = 0;
        for (int i = 0; i < size; i++) {
            at = writeVarint(out, at, entries[i] - previous);
            previous = entries[i];
        }
        return Arrays.copyOf(out, at);
    }

    static byte[] writeDense(byte[] registers) {
        byte[] out = new byte[DENSE_BYTES];
        out[0] = DENSE;
        System.arraycopy(registers, 0, out, 1, M);
        return out;
    }

    static UniqueSketch read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw malformed("no bytes");
        }
        if (bytes[0] == SPARSE) {
            return readSparse(bytes);
        }
        if (bytes[0] == DENSE) {
            return readDense(bytes);
        }
        throw malformed(String.format("unknown format byte 0x%02x", bytes[0] & 0xFF));
    }

    private static UniqueSketch readSparse(byte[] bytes) {
        long countAndEnd = readVarint(bytes, 1);
        int size = (int) countAndEnd;
        int at = (int) (countAndEnd >>> 32);
        if (size > SPARSE_LIMIT) {
            throw malformed("sparse sketch with " + size + " entries, more than " + SPARSE_LIMIT);
        }
        int[] entries = new int[Math.max(size, 4)];
        int previous = 0;
        for (int i = 0; i < size; i++) {
            long deltaAndEnd = readVarint(bytes, at);
            at = (int) (deltaAndEnd >>> 32);
            long sum = previous + (int) deltaAndEnd;
            int entry = sum > Integer.MAX_VALUE ? -1 : (int) sum;
            int value = entry & VALUE_MASK;
            int index = entry >>> VALUE_BITS;
            if (entry < 0 || value == 0 || value > SPARSE_MAX_VALUE || index >= SPARSE_M
                    || (i > 0 && index <= previous >>> VALUE_BITS)) {
                throw malformed("bad sparse entry " + i);
            }
            entries[i] = entry;
            previous = entry;
        }
        if (at != bytes.length) {
            throw malformed((bytes.length - at) + " trailing bytes");
        }
        return UniqueSketch.ofSparse(entries, size);
    }

    private static UniqueSketch readDense(byte[] bytes) {
        if (bytes.length != DENSE_BYTES) {
            throw malformed("dense sketch of " + bytes.length + " bytes, expected " + DENSE_BYTES);
        }
        byte[] registers = Arrays.copyOfRange(bytes, 1, DENSE_BYTES);
        int set = Registers.countSetOrMinusOne(registers, MAX_VALUE);
        if (set < 0) {
            throw malformed("register value above " + MAX_VALUE);
        }
        // No lower bound on the registers set: a sketch turns dense on its 4,097th sparse entry, and those entries,
        // kept at the finer sparse precision, may fall into fewer dense registers (about 3,650 on average).
        return UniqueSketch.ofDense(registers);
    }

    private static int writeVarint(byte[] out, int at, int value) {
        while ((value & ~0x7F) != 0) {
            out[at++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    /** The value (at most 2^31 - 1: five bytes) in the low 32 bits, the offset after it in the high 32 bits. */
    private static long readVarint(byte[] bytes, int at) {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (at >= bytes.length) {
                throw malformed("truncated");
            }
            int b = bytes[at++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                if (value > Integer.MAX_VALUE) {
                    throw malformed("varint above 2^31 - 1");
                }
                return (long) at << 32 | value;
            }
        }
        throw malformed("varint longer than 5 bytes");
    }

    private static IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException("malformed unique sketch: " + why);
    }
}
