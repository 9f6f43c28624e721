package io.sightline.auth;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An app whose events Sightline collects; its write key goes into the app's SDK configuration.
 *
 * @param umamiWebsiteId the website id Umami clients send for this app, or null
 * @param eventTypes     client event names that mean one of the five AR types ({@code "Product Placed"} to
 *                       {@code placement}); other names are custom events
 */
public record App(long id, String name, String writeKey, Instant createdAt, int retentionDays, String timeZone,
                  UUID umamiWebsiteId, Map<String, String> eventTypes) {
    public App {
        eventTypes = Map.copyOf(eventTypes);
    }
}
