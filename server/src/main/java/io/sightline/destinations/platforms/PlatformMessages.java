package io.sightline.destinations.platforms;

import io.sightline.destinations.DestinationConfig;

/**
 * Makes a platform's error text fit to keep in an {@code Outcome}: any secret of the destination that a platform
 * might echo back is cut out, and the text is bounded so a huge error page cannot bloat the outbox.
 */
final class PlatformMessages {
    static final int MAX_LENGTH = 500;

    private PlatformMessages() {
    }

    static String clean(String message, DestinationConfig config) {
        String text = message == null || message.isBlank() ? "(no message)" : message.strip();
        for (String secret : config.secrets().values()) {
            if (secret != null && secret.length() >= 4) {
                text = text.replace(secret, "[redacted]");
            }
        }
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "…";
    }

    /** 64 lower-case hex characters: the only form a hashed trait may take on the wire. */
    static boolean isSha256Hex(String value) {
        if (value == null || value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
