package io.sightline.event;

import java.util.UUID;

/**
 * Parses a UUID only in its canonical 8-4-4-4-12 form, hex digits in either case. {@link UUID#fromString}
 * is not used because it also accepts shortened groups such as {@code "1-2-3-4-5"}, and throws where this
 * returns null.
 */
final class CanonicalUuid {
    private CanonicalUuid() {
    }

    static UUID parse(String s) {
        if (s.length() != 36) {
            return null;
        }
        long high = 0;
        long low = 0;
        int digits = 0;
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int d = hex(c);
            if (d < 0) {
                return null;
            }
            if (digits++ < 16) {
                high = high << 4 | d;
            } else {
                low = low << 4 | d;
            }
        }
        return new UUID(high, low);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
