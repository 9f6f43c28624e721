package io.sightline.destinations;

import java.util.Locale;
import java.util.Optional;

/** The state of a delivery that did not go through at once (delivered ones leave no row, only a count). */
public enum DeliveryStatus {
    /** Waiting for its next attempt. */
    PENDING,
    /** Given up: the platform refused it, or the retry budget ran out. Kept with the platform's error; re-queueable. */
    DEAD,
    /** Too old for the platform before it could be delivered; the reason says which window. */
    EXPIRED,
    /** Never sendable to this platform (no match key it can use, older than its window when it arrived). */
    SKIPPED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeliveryStatus> fromWire(String name) {
        for (DeliveryStatus s : values()) {
            if (s.wireName().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
