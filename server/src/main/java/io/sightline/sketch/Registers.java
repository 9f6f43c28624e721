package io.sightline.sketch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Word-at-a-time operations on a dense register array (one byte per register, every value below 64). */
final class Registers {
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;

    private Registers() {
    }

    /**
     * {@code histogram[k]} = how many registers hold k. Four interleaved counters: a single array stalls on
     * store-to-load forwarding whenever neighbouring registers hold the same value, which is most of the time.
     */
    static int[] histogram(byte[] registers) {
        int[] counts = new int[4 * 64];
        for (int i = 0; i < registers.length; i += 4) {
            counts[registers[i]]++;
            counts[64 + registers[i + 1]]++;
            counts[128 + registers[i + 2]]++;
            counts[192 + registers[i + 3]]++;
        }
        int[] histogram = new int[UniqueSketch.MAX_VALUE + 1];
        for (int k = 0; k < histogram.length; k++) {
            histogram[k] = counts[k] + counts[64 + k] + counts[128 + k] + counts[192 + k];
        }
        return histogram;
    }

    /** The number of non-zero registers, or -1 if any register is above {@code max} (which must be below 128). */
    static int countSetOrMinusOne(byte[] registers, int max) {
        long overMax = ONES * (0x80 - (max + 1));
        long bad = 0;
        int set = 0;
        for (int i = 0; i < registers.length; i += 8) {
            long x = (long) LONGS.get(registers, i);
            // No byte of x has its top bit set (checked via bad), so neither addition carries into the next byte.
            bad |= x | (x + overMax);
            set += Long.bitCount((x + ONES * 0x7F) & HIGH_BITS);
        }
        return (bad & HIGH_BITS) != 0 ? -1 : set;
    }
}
