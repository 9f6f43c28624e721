package io.sightline.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes version-4-shaped UUIDs that cannot repeat within one instance, as text, straight into a buffer.
 *
 * <p>A counter goes through the MurmurHash3 64-bit finaliser, which is a bijection, so 2^64 consecutive
 * counter values give 2^64 distinct, random-looking values; those 64 bits fill the UUID (the four bits the
 * version nibble displaces move to the low nibble), and a per-instance random salt fills the rest so two runs
 * do not produce the same ids. Compared with {@code UUID.randomUUID()} this takes no lock on a shared
 * SecureRandom and allocates nothing, while the most significant bits, the ones a database index sorts by
 * first, still arrive in random order as real clients' ids do.
 */
final class UniqueUuids {
    static final int TEXT_LENGTH = 36;
    /** What a slot holds before the first write; the dashes written here are never touched again. */
    static final String BLANK = "00000000-0000-4000-8000-000000000000";
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final AtomicLong counter;
    private final long salt;

    UniqueUuids() {
        this(new SecureRandom());
    }

    private UniqueUuids(SecureRandom random) {
        this(random.nextLong(), random.nextLong());
    }

    UniqueUuids(long firstCounter, long salt) {
        this.counter = new AtomicLong(firstCounter);
        this.salt = salt;
    }

    /** Writes the hex digits of the next id over a {@link #BLANK} slot starting at absolute index {@code at}. */
    void writeNext(ByteBuffer out, int at) {
        long bits = mix(counter.getAndIncrement());
        long msb = (bits & ~0xF000L) | 0x4000L;
        long lsb = (salt & 0x3FFF_FFFF_FFFF_FFF0L) | 0x8000_0000_0000_0000L | ((bits >>> 12) & 0xFL);
        hex(out, at, msb >>> 32, 8);
        hex(out, at + 9, msb >>> 16, 4);
        hex(out, at + 14, msb, 4);
        hex(out, at + 19, lsb >>> 48, 4);
        hex(out, at + 24, lsb, 12);
    }

    private static void hex(ByteBuffer out, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out.put(at + i, HEX[(int) value & 0xF]);
            value >>>= 4;
        }
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }
}
