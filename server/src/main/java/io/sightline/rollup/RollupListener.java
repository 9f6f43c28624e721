package io.sightline.rollup;

/** Hooks for metrics; every method defaults to doing nothing. */
public interface RollupListener {
    RollupListener NONE = new RollupListener() {
    };

    /** One day of one app was rolled up (by the job, a backfill or the command line). */
    default void dayRolled(long events, long nanos) {
    }

    /** One run of the scheduled rollup job ended; {@code failed} when it logged an error. */
    default void jobRun(long nanos, boolean failed) {
    }
}
