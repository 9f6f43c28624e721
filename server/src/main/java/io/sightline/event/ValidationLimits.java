package io.sightline.event;

import java.time.Duration;
import java.util.Objects;

/** How far from the server clock an event's {@code occurred_at} may lie, into the past and into the future. */
public record ValidationLimits(Duration backfillWindow, Duration futureTolerance) {
    public ValidationLimits {
        Objects.requireNonNull(backfillWindow, "backfillWindow");
        Objects.requireNonNull(futureTolerance, "futureTolerance");
        if (backfillWindow.isNegative() || futureTolerance.isNegative()) {
            throw new IllegalArgumentException("validation windows must not be negative");
        }
    }

    public static ValidationLimits defaults() {
        return new ValidationLimits(Duration.ofDays(7), Duration.ofHours(24));
    }
}
