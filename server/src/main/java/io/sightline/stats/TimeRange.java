package io.sightline.stats;

import java.time.Instant;

/** A half-open span of time {@code [from, to)}. */
public record TimeRange(Instant from, Instant to) {
    public TimeRange {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
    }
}
