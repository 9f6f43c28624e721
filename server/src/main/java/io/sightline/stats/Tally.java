package io.sightline.stats;

import io.sightline.sketch.UniqueSketch;

/**
 * Events and unique visitors and sessions of one key (an event type, a time bucket, a dimension value). Uniques are
 * either exact counts from SQL (a key read only from raw events in one query) or the union of HLL sketches: the
 * rolled days' stored sketches plus the raw part's ids, so a visitor seen on both sides counts once.
 */
final class Tally {
    private long events;
    private long exactVisitors;
    private long exactSessions;
    private UniqueSketch visitors;
    private UniqueSketch sessions;

    long events() {
        return events;
    }

    long visitors() {
        return visitors == null ? exactVisitors : visitors.estimate();
    }

    long sessions() {
        return sessions == null ? exactSessions : sessions.estimate();
    }

    /** Adds a raw-only aggregate whose uniques SQL counted exactly; only for keys that get nothing else. */
    void addExact(long events, long visitors, long sessions) {
        this.events += events;
        this.exactVisitors += visitors;
        this.exactSessions += sessions;
    }

    /** Adds a rollup row: its event count and its serialised sketches. */
    void addRollup(long events, byte[] visitorSketch, byte[] sessionSketch) {
        this.events += events;
        sketches();
        visitors.merge(UniqueSketch.fromBytes(visitorSketch));
        sessions.merge(UniqueSketch.fromBytes(sessionSketch));
    }

    /** Adds {@code events} raw events of one visitor and session (either may be null). */
    void addIds(String visitorId, String sessionId, long events) {
        this.events += events;
        sketches();
        if (visitorId != null) {
            visitors.add(visitorId);
        }
        if (sessionId != null) {
            sessions.add(sessionId);
        }
    }

    /** Adds another sketched tally (e.g. all event types into one total). */
    void addSketched(Tally other) {
        events += other.events;
        sketches();
        if (other.visitors != null) {
            visitors.merge(other.visitors);
            sessions.merge(other.sessions);
        }
    }

    private void sketches() {
        if (visitors == null) {
            if (exactVisitors != 0 || exactSessions != 0) {
                throw new IllegalStateException("exact and sketched uniques cannot be added up");
            }
            visitors = new UniqueSketch();
            sessions = new UniqueSketch();
        }
    }
}
