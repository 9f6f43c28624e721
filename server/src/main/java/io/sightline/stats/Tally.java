package io.sightline.stats;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * Events and unique visitors and sessions of one key (an event type, a time bucket, a dimension value). Uniques are
 * either exact counts from SQL (a key read only from raw events in one query) or the union of HLL sketches: the
 * rolled days' stored sketches plus the raw part's ids, so a visitor seen on both sides counts once.
 */
final class Tally {
    /** As the rollups store them (lgK 14, HLL_4); the union keeps that precision, about 0.8 % standard error. */
    static final int LG_K = 14;

    private long events;
    private long exactVisitors;
    private long exactSessions;
    private Union visitors;
    private Union sessions;

    long events() {
        return events;
    }

    long visitors() {
        return visitors == null ? exactVisitors : Math.round(visitors.getEstimate());
    }

    long sessions() {
        return sessions == null ? exactSessions : Math.round(sessions.getEstimate());
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
        visitors.update(HllSketch.heapify(visitorSketch));
        sessions.update(HllSketch.heapify(sessionSketch));
    }

    /** Adds {@code events} raw events of one visitor and session (either may be null). */
    void addIds(String visitorId, String sessionId, long events) {
        this.events += events;
        sketches();
        if (visitorId != null) {
            visitors.update(visitorId);
        }
        if (sessionId != null) {
            sessions.update(sessionId);
        }
    }

    /** Adds another sketched tally (e.g. all event types into one total). */
    void addSketched(Tally other) {
        events += other.events;
        sketches();
        if (other.visitors != null) {
            visitors.update(other.visitors.getResult());
            sessions.update(other.sessions.getResult());
        }
    }

    private void sketches() {
        if (visitors == null) {
            if (exactVisitors != 0 || exactSessions != 0) {
                throw new IllegalStateException("exact and sketched uniques cannot be added up");
            }
            visitors = new Union(LG_K);
            sessions = new Union(LG_K);
        }
    }
}
