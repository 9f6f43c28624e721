package io.sightline.stats;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * What every stats endpoint is asked: events of one app that occurred in {@code [from, to)}, read in the time
 * zone {@code zone}, of the given event types (all when empty), matching every filter. Parsed from query
 * parameters by {@link StatsQueryParser}; turned into SQL by {@link EventConditions}.
 */
public record StatsQuery(long appId, Instant from, Instant to, ZoneId zone, List<String> eventTypes,
                         List<Filter> filters) {
    public StatsQuery {
        eventTypes = List.copyOf(eventTypes);
        filters = List.copyOf(filters);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** The period of the same length that ends where this one starts, with the same filters. */
    public StatsQuery previousPeriod() {
        return new StatsQuery(appId, from.minus(length()), from, zone, eventTypes, filters);
    }

    public StatsQuery withRange(Instant newFrom, Instant newTo) {
        return new StatsQuery(appId, newFrom, newTo, zone, eventTypes, filters);
    }

    /**
     * The single equality filter on one dimension, when that is the only dimension filter: the one shape besides
     * "no dimension filter" that the rollup tables (one row per dimension value) can answer.
     */
    public Optional<Filter> singleEqualityFilter() {
        if (filters.size() == 1 && filters.get(0).equalityValue().isPresent()) {
            return Optional.of(filters.get(0));
        }
        return Optional.empty();
    }
}
