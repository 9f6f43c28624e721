package io.sightline.error;

/**
 * A typed reason for a {@link DomainException}: each feature declares its reasons as an enum implementing this,
 * so a failure's code is checked by the compiler and listed in one place per feature.
 */
public interface Reason {
    Kind kind();

    /** The stable, client-visible code, in snake case ("invalid_value", "queue_full"). */
    String code();
}
