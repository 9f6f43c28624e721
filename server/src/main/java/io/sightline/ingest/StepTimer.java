package io.sightline.ingest;

/**
 * Records how long one named pipeline step took for one event. A pipeline asks its listener for one timer per step
 * when it is built, so timing an event costs a clock read per step and no lookup by name.
 */
@FunctionalInterface
public interface StepTimer {
    StepTimer NONE = nanos -> { };

    void record(long nanos);
}
