package io.sightline.destinations;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One field of a destination's {@code config} as a platform declares it. A secret field (token, API secret, OAuth
 * key) is write-only: stored encrypted, never returned by the API, never logged. A value must match
 * {@code pattern} in full and be at most {@code maxLength} characters.
 */
public record ConfigField(String name, boolean required, boolean secret, Pattern pattern, int maxLength,
                          String description) {
    public ConfigField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(description, "description");
    }

    public static ConfigField required(String name, String regex, String description) {
        return new ConfigField(name, true, false, Pattern.compile(regex), 512, description);
    }

    public static ConfigField optional(String name, String regex, String description) {
        return new ConfigField(name, false, false, Pattern.compile(regex), 512, description);
    }

    /** A required credential: any printable text without spaces, up to 4 KiB. */
    public static ConfigField secret(String name, String description) {
        return new ConfigField(name, true, true, Pattern.compile("[\\x21-\\x7e]+"), 4096, description);
    }
}
