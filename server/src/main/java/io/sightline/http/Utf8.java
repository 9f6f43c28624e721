package io.sightline.http;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629): no stray continuation bytes, no truncated sequences, no
 * overlong forms, no UTF-16 surrogates (U+D800 to U+DFFF), nothing above U+10FFFF. The same verdict as the JDK's
 * reporting decoder, without allocating a decoder and a char buffer per request body.
 */
final class Utf8 {
    private Utf8() {
    }

    static boolean isWellFormed(byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int size;
            int min;
            int max;
            if (lead >= 0xC2 && lead <= 0xDF) {
                size = 2;
                min = 0x80;
                max = 0xBF;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                size = 3;
                // E0 needs A0..BF (else overlong); ED needs 80..9F (else a surrogate)
                min = lead == 0xE0 ? 0xA0 : 0x80;
                max = lead == 0xED ? 0x9F : 0xBF;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                size = 4;
                // F0 needs 90..BF (else overlong); F4 needs 80..8F (else above U+10FFFF)
                min = lead == 0xF0 ? 0x90 : 0x80;
                max = lead == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false; // a continuation byte first, C0/C1 (always overlong) or F5..FF
            }
            if (i + size > length) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return false;
            }
            for (int k = 2; k < size; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += size;
        }
        return true;
    }
}
