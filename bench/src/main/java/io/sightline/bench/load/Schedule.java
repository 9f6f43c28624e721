package io.sightline.bench.load;

/** When one connection's next request is due; its latency is measured from that time. */
sealed interface Schedule {

    /** The due time of the next request, or {@code now} when it may go at once. */
    long due(long now);

    /** The due request has been sent. */
    void advance();

    /** How many requests fell due before {@code end} without being sent. */
    long overdueAt(long end);

    static Schedule forConnection(LoadMode mode, int connection, int connections, long start) {
        if (mode instanceof LoadMode.FixedRate rate) {
            double interval = connections * 1e9 / rate.requestsPerSecond();
            return new FixedInterval(start + (long) (interval * connection / connections), interval);
        }
        return new AsSoonAsPossible();
    }

    final class AsSoonAsPossible implements Schedule {
        @Override
        public long due(long now) {
            return now;
        }

        @Override
        public void advance() {
        }

        @Override
        public long overdueAt(long end) {
            return 0;
        }
    }

    /** Due times at {@code first + k * interval}, computed from k so rounding never accumulates into drift. */
    final class FixedInterval implements Schedule {
        private final long first;
        private final double interval;
        private long sent;

        FixedInterval(long first, double interval) {
            this.first = first;
            this.interval = interval;
        }

        @Override
        public long due(long now) {
            return first + (long) (sent * interval);
        }

        @Override
        public void advance() {
            sent++;
        }

        @Override
        public long overdueAt(long end) {
            long next = due(end);
            return next >= end ? 0 : 1 + (long) ((end - 1 - next) / interval);
        }
    }
}
