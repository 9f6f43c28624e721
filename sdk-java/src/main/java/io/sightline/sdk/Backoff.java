package io.sightline.sdk;

import java.util.Random;

/**
 * Delays between retries of one batch: doubling from the first to the longest delay, each drawn at random
 * between half and all of it, so that many devices cut off by one outage do not come back in step. A server's
 * Retry-After is a floor.
 */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final Random random;

    Backoff(long minMillis, long maxMillis, Random random) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** The delay before retry number {@code attempt} (0 for the first retry). */
    long delay(int attempt, long retryAfterMillis) {
        long ceiling = minMillis;
        for (int i = 0; i < attempt && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxMillis);
        long half = ceiling / 2;
        long drawn = half + (long) (random.nextDouble() * (ceiling - half));
        return Math.max(drawn, retryAfterMillis);
    }
}
