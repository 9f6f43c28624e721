package io.sightline.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One validated event, ready to be stored. {@code propertiesJson} is the compact JSON object text of the
 * properties in the client's key order ({@code "{}"} when none); name and the three ids may be null.
 */
public record Event(UUID eventId, EventType type, String name, Instant occurredAt,
                    String sessionId, String visitorId, String userId,
                    String propertiesJson,
                    EventContext context) {
    public Event {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(propertiesJson, "propertiesJson");
        Objects.requireNonNull(context, "context");
    }

    /** The same event with the server's additions: derived ids and an enriched context. */
    public Event enriched(String sessionId, String visitorId, EventContext context) {
        return new Event(eventId, type, name, occurredAt, sessionId, visitorId, userId, propertiesJson, context);
    }
}
