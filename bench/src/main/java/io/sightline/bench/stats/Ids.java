package io.sightline.bench.stats;

/** Deterministic identifiers in the server's formats, from 64-bit mixes of seeds and numbers. */
final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    /** SplitMix64's finaliser: neighbouring inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** 16 hex characters: the shape of a server-made session id. */
    static String hex64(long v) {
        char[] c = new char[16];
        put(c, 0, v);
        return new String(c);
    }

    /** 32 hex characters: the shape of a server-derived visitor id (128 bits of an HMAC). */
    static String hex128(long hi, long lo) {
        char[] c = new char[32];
        put(c, 0, hi);
        put(c, 16, lo);
        return new String(c);
    }

    /** 64 hex characters, for an ip_hash (HMAC-SHA256 is 32 bytes). */
    static String hex256(long seed) {
        char[] c = new char[64];
        long v = seed;
        for (int i = 0; i < 4; i++) {
            v = mix(v + 0x9E3779B97F4A7C15L);
            put(c, i * 16, v);
        }
        return new String(c);
    }

    private static void put(char[] c, int at, long v) {
        for (int i = 15; i >= 0; i--) {
            c[at + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }
}
