package io.sightline.store;

import java.time.Clock;
import java.time.Duration;

/**
 * When a stored event counts as late: it occurred more than {@code delay} before the writer's {@code clock} at
 * commit. The rollup job waits the same delay after a day ends before rolling it, so real-time events never mark.
 */
public record LateEventMarks(Clock clock, Duration delay) {
    public static final LateEventMarks DEFAULT = new LateEventMarks(Clock.systemUTC(), Duration.ofMinutes(5));
}
