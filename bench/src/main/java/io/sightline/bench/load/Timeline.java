package io.sightline.bench.load;

/** The {@link System#nanoTime()} instants of one run: it starts, warms up until {@code measureStart}, stops at {@code end}. */
record Timeline(long start, long measureStart, long end) {

    static Timeline startingNow(LoadPlan plan) {
        long start = System.nanoTime();
        long measureStart = start + plan.warmUp().toNanos();
        return new Timeline(start, measureStart, measureStart + plan.measured().toNanos());
    }

    boolean measuring(long now) {
        return now >= measureStart && now < end;
    }
}
