package io.sightline.destinations;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One stored event on its way to one destination: what a platform client may put in its request. Any field but
 * the ids, the names and the time may be null. Traits arrive only as SHA-256 hex (64 lower-case characters), hashed
 * at ingestion ({@code phoneSha256} over the digits with the country code, as Meta documents it;
 * {@code phoneE164Sha256} over the E.164 form with its {@code +}, as Google and X do); {@code clientIp} and {@code userAgent} are null unless the destination may send them.
 *
 * @param deliveryId        the outbox row; stable across re-sends
 * @param platformEventName the name the destination's mapping gives it (its rule's name, or the platform default)
 * @param fromApp           sent by a native app (action_source {@code app}) rather than from a web page
 * @param propertiesJson    the event's properties as a JSON object text
 */
public record Outgoing(long deliveryId, UUID eventId, String eventType, String eventName, String platformEventName,
                       Instant occurredAt, Double value, String currency,
                       Map<String, String> clickIds, Map<String, String> campaign,
                       String emailSha256, String phoneSha256, String phoneE164Sha256, String externalIdSha256,
                       String visitorId, String userId, String sessionId,
                       String clientIp, String userAgent,
                       boolean fromApp, String appVersion, String os, String osVersion, String deviceModel,
                       String locale, String country, String city,
                       String url, String referrer, String title,
                       String propertiesJson) {
    public Outgoing {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(platformEventName, "platformEventName");
        Objects.requireNonNull(occurredAt, "occurredAt");
        clickIds = clickIds == null ? Map.of() : Map.copyOf(clickIds);
        campaign = campaign == null ? Map.of() : Map.copyOf(campaign);
        propertiesJson = propertiesJson == null ? "{}" : propertiesJson;
    }

    /** The click id of that name ({@code "gclid"}, {@code "fbc"}, ...), or null. */
    public String clickId(String name) {
        return clickIds.get(name);
    }
}
