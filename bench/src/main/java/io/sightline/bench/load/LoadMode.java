package io.sightline.bench.load;

/** How requests are paced. */
public sealed interface LoadMode {

    static LoadMode closedLoop() {
        return new ClosedLoop();
    }

    static LoadMode fixedRate(double requestsPerSecond) {
        return new FixedRate(requestsPerSecond);
    }

    /** Each connection sends its next request as soon as the previous response has arrived. */
    record ClosedLoop() implements LoadMode {
    }

    /**
     * Requests fall due at a fixed total rate spread evenly over the connections, and latency counts from the
     * due time rather than the send time (wrk2's correction for coordinated omission): a server that stalls
     * is charged for every request that should have been sent meanwhile, instead of the generator politely
     * waiting for it.
     */
    record FixedRate(double requestsPerSecond) implements LoadMode {
        public FixedRate {
            if (!(requestsPerSecond > 0 && requestsPerSecond <= 1_000_000)) {
                throw new IllegalArgumentException("requestsPerSecond must be in (0, 1000000], was " + requestsPerSecond);
            }
        }
    }
}
