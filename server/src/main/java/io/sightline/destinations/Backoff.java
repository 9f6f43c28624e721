package io.sightline.destinations;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When to try again: exponential ({@code base} × 2^(attempt-1), at most {@code cap}) with "equal jitter" (a random
 * point in the upper half of that delay, so that instances retrying after the same outage spread out but none
 * comes back too early), and never sooner than the platform's {@code Retry-After}.
 */
public record Backoff(Duration base, Duration cap, DoubleSupplier random) {
    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(2), Duration.ofHours(1), Math::random);
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones (at least 1). */
    public Duration after(int attempt, Duration retryAfter) {
        int doublings = Math.max(0, Math.min(attempt - 1, 40));
        long full = (long) Math.min(cap.toMillis(), base.toMillis() * Math.pow(2, doublings));
        long jittered = full / 2 + (long) (random.getAsDouble() * (full - full / 2));
        Duration wait = Duration.ofMillis(jittered);
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            return retryAfter.compareTo(cap) > 0 ? cap : retryAfter;
        }
        return wait;
    }
}
