package io.sightline.error;

import java.util.Locale;

/**
 * A typed reason for a {@link DomainException}: each feature declares its reasons as an enum implementing this,
 * so a failure's code is checked by the compiler and listed in one place per feature.
 */
public interface Reason {
    /** The enum constant's name; enums provide it. */
    String name();

    /** Most reasons are the caller's mistake; a constant of another kind says so in its own body. */
    default Kind kind() {
        return Kind.INVALID;
    }

    /** The stable, client-visible code: the constant's name in snake case ("invalid_value", "queue_full"). */
    default String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
