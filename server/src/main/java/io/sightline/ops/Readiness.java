package io.sightline.ops;

import io.sightline.store.Database;
import io.sightline.store.EventWriter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ready means: not shutting down, PostgreSQL answers, and the writer's queue is below 90 % of its capacity.
 * The database probe is cached for a second so that frequent probes do not load the pool.
 */
public final class Readiness {
    private static final Duration PROBE_CACHE = Duration.ofSeconds(1);

    private final Lifecycle lifecycle;
    private final Database database;
    private final EventWriter writer;
    private final Clock clock;
    private volatile Instant probedAt = Instant.EPOCH;
    private volatile boolean databaseReachable;

    public Readiness(Lifecycle lifecycle, Database database, EventWriter writer, Clock clock) {
        this.lifecycle = lifecycle;
        this.database = database;
        this.writer = writer;
        this.clock = clock;
    }

    /** Each check by name, true when it passes. */
    public synchronized Map<String, Boolean> checks() {
        Instant now = clock.instant();
        if (now.isAfter(probedAt.plus(PROBE_CACHE))) {
            databaseReachable = writer.databaseUp() && database.reachable();
            probedAt = now;
        }
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("accepting", !lifecycle.draining());
        checks.put("database", databaseReachable);
        checks.put("queue", writer.queuedEvents() < writer.capacityEvents() * 0.9);
        return checks;
    }
}
