package io.sightline.auth;

import io.sightline.http.WriteKeyLookup;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a write key to its app on every ingestion request. Answers (found or not) are cached for a few
 * seconds so ingestion does not query the database per request; the cache is bounded so random keys cannot
 * grow it. A rotated key is dropped from this instance's cache at once and stops working on other instances
 * within {@code ttl}.
 */
public final class WriteKeyAuthenticator implements WriteKeyLookup<App> {
    private static final int MAX_ENTRIES = 10_000;
    private static final int MAX_KEY_LENGTH = 128;

    private record Entry(Optional<App> app, Instant expires) {}

    private final AppStore apps;
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public WriteKeyAuthenticator(AppStore apps, Clock clock, Duration ttl) {
        this.apps = apps;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Optional<App> authenticate(String writeKey) throws SQLException {
        if (writeKey == null || writeKey.isEmpty() || writeKey.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Entry entry = cache.get(writeKey);
        if (entry != null && entry.expires().isAfter(now)) {
            return entry.app();
        }
        Optional<App> app = apps.byWriteKey(writeKey);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(writeKey, new Entry(app, now.plus(ttl)));
        return app;
    }

    /** Forgets a key now, after its rotation. */
    public void forget(String writeKey) {
        cache.remove(writeKey);
    }
}
