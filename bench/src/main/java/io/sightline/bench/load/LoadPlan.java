package io.sightline.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * One bounded run: a warm-up whose results are discarded, then the measured period; the run ends by itself
 * after both. Connections are spread over {@code ioThreads} selector threads; one thread is the cheapest per
 * request (more events per {@code epoll_wait}) until it saturates a core.
 *
 * <p>A fixed-rate schedule runs through warm-up and measurement without a break: requests a cold server left
 * unsent during warm-up are still owed, and their latency counted, in the measured window. Warm a fresh server
 * up with a closed-loop run first.
 */
public record LoadPlan(LoadMode mode, int connections, int ioThreads, Duration warmUp, Duration measured) {
    static final Duration LONGEST_RUN = Duration.ofHours(1);
    static final int MOST_CONNECTIONS = 10_000;

    public LoadPlan {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(warmUp, "warmUp");
        Objects.requireNonNull(measured, "measured");
        if (connections < 1 || connections > MOST_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be 1-" + MOST_CONNECTIONS + ", was " + connections);
        }
        if (ioThreads < 1 || ioThreads > connections) {
            throw new IllegalArgumentException("ioThreads must be 1-" + connections + " (the connections), was " + ioThreads);
        }
        if (warmUp.isNegative() || measured.isNegative() || measured.isZero() || warmUp.plus(measured).compareTo(LONGEST_RUN) > 0) {
            throw new IllegalArgumentException("warmUp must be >= 0, measured > 0 and both together at most "
                    + LONGEST_RUN + ", were " + warmUp + " and " + measured);
        }
    }

    public static LoadPlan closedLoop(int connections, Duration warmUp, Duration measured) {
        return new LoadPlan(LoadMode.closedLoop(), connections, 1, warmUp, measured);
    }

    public static LoadPlan fixedRate(double requestsPerSecond, int connections, Duration warmUp, Duration measured) {
        return new LoadPlan(LoadMode.fixedRate(requestsPerSecond), connections, 1, warmUp, measured);
    }

    public LoadPlan withIoThreads(int threads) {
        return new LoadPlan(mode, connections, threads, warmUp, measured);
    }
}
