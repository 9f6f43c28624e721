package io.sightline.ingest.umami;

import io.sightline.auth.App;
import io.sightline.auth.AppStore;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The app of an Umami website id, as every Umami message asks it. Answers, found or not, are kept for a few
 * seconds, so a page view costs no query; the map is bounded, so random website ids cannot grow it. A website id
 * set or changed with {@code PATCH /api/v1/apps/{id}} is seen within {@code ttl}.
 */
final class UmamiWebsites {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<App> app, Instant expires) {}

    private final AppStore apps;
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentHashMap<UUID, Entry> cache = new ConcurrentHashMap<>();

    UmamiWebsites(AppStore apps, Clock clock, Duration ttl) {
        this.apps = apps;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The app whose {@code umami_website_id} this is; an unknown one is refused, naming {@code payload.website}. */
    App app(UUID website) throws SQLException {
        Instant now = clock.instant();
        Entry entry = cache.get(website);
        if (entry == null || !entry.expires().isAfter(now)) {
            entry = new Entry(apps.byUmamiWebsite(website), now.plus(ttl));
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(website, entry);
        }
        return entry.app().orElseThrow(() -> UmamiRejection.of(UmamiRejection.Reason.UNKNOWN_WEBSITE,
                "no app has this website id; an admin sets it with PATCH /api/v1/apps/{id}"
                        + " {\"umami_website_id\": \"<uuid>\"}", "payload.website"));
    }
}
