package io.sightline.destinations;

import java.time.Duration;

/** What the forwarder reports to metrics (ops.Metrics implements it); every method defaults to nothing. */
public interface DeliveryListener {
    DeliveryListener NONE = new DeliveryListener() {};

    /** The outcomes of one pass over one destination. */
    default void outcomes(long destinationId, DestinationType type, long delivered, long retried, long failed,
                          long dead, long expired, long skipped) {
    }

    /** How long the oldest delivery of the destination has waited (zero when none waits). */
    default void lag(long destinationId, DestinationType type, Duration oldest) {
    }
}
