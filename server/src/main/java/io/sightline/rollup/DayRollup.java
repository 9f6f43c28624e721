package io.sightline.rollup;

import io.sightline.store.Dimension;
import io.sightline.sketch.UniqueSketch;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * The rows of one app's day, built in one pass over its events: per event type, one row for all events ('' / '')
 * and one per value of each {@link Dimension} (NULL becomes ''); the same rows once more for all event types
 * together (event type {@link #ALL_TYPES}), so that unique visitors over all types are one sketch per day instead of
 * a union of one per type; and, for conversions that carry a value and a
 * currency, conversions and value sums per dimension value and currency. Pure: no I/O.
 *
 * <p>Unique visitors and sessions are {@link UniqueSketch}es (HyperLogLog, about 0.8 % standard error, at most ~12 KiB
 * serialised, a few dozen bytes while a row has few distinct ids), so any range's unique count is a union.
 */
final class DayRollup {
    static final String ALL = "";
    /** The event type of the rows that count every event type; event types are lower-case words, never this. */
    static final String ALL_TYPES = "*";
    private static final Dimension[] DIMENSIONS = Dimension.values();

    record StatsKey(String eventType, String dimension, String value) {}

    record ValuesKey(String dimension, String value, String currency) {}

    static final class Stats {
        long events;
        final UniqueSketch visitors = new UniqueSketch();
        final UniqueSketch sessions = new UniqueSketch();
    }

    static final class Values {
        long conversions;
        BigDecimal sum = BigDecimal.ZERO;
    }

    private final Map<StatsKey, Stats> stats = new HashMap<>();
    private final Map<ValuesKey, Values> values = new HashMap<>();
    private long events;

    /**
     * Adds one event. {@code dimensionValues} is indexed like {@link Dimension#values()}; {@code value} and
     * {@code currency} are null unless the event is a conversion carrying both.
     */
    void add(String eventType, String visitorId, String sessionId, String[] dimensionValues,
             BigDecimal value, String currency) {
        events++;
        // Each id is hashed once, then added to the 2 x 14 sketches of its rows.
        long visitor = visitorId == null ? 0 : UniqueSketch.hash(visitorId);
        long session = sessionId == null ? 0 : UniqueSketch.hash(sessionId);
        for (String type : new String[] {eventType, ALL_TYPES}) {
            count(new StatsKey(type, ALL, ALL), visitorId != null, visitor, sessionId != null, session);
            for (int i = 0; i < DIMENSIONS.length; i++) {
                count(new StatsKey(type, DIMENSIONS[i].wireName(), orEmpty(dimensionValues[i])),
                        visitorId != null, visitor, sessionId != null, session);
            }
        }
        if (value != null && currency != null) {
            sum(new ValuesKey(ALL, ALL, currency), value);
            for (int i = 0; i < DIMENSIONS.length; i++) {
                sum(new ValuesKey(DIMENSIONS[i].wireName(), orEmpty(dimensionValues[i]), currency), value);
            }
        }
    }

    long events() {
        return events;
    }

    Map<StatsKey, Stats> stats() {
        return stats;
    }

    Map<ValuesKey, Values> values() {
        return values;
    }

    private void count(StatsKey key, boolean hasVisitor, long visitor, boolean hasSession, long session) {
        Stats s = stats.computeIfAbsent(key, k -> new Stats());
        s.events++;
        if (hasVisitor) {
            s.visitors.addHash(visitor);
        }
        if (hasSession) {
            s.sessions.addHash(session);
        }
    }

    /**
     * Stored rows of one key merged into one (the days of a month into the month's row): events added up, sketches
     * united.
     */
    static final class Merged {
        long events;
        final UniqueSketch visitors = new UniqueSketch();
        final UniqueSketch sessions = new UniqueSketch();

        void add(long rowEvents, byte[] visitorSketch, byte[] sessionSketch) {
            events += rowEvents;
            visitors.merge(UniqueSketch.fromBytes(visitorSketch));
            sessions.merge(UniqueSketch.fromBytes(sessionSketch));
        }
    }

    private void sum(ValuesKey key, BigDecimal value) {
        Values v = values.computeIfAbsent(key, k -> new Values());
        v.conversions++;
        v.sum = v.sum.add(value);
    }

    private static String orEmpty(String value) {
        return value == null ? ALL : value;
    }
}
