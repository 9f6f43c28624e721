package io.sightline.destinations;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A stored event as the forwarder reads it back from {@code analytics_events}: what any platform may need. The
 * client's IP address is never stored (only its salted hash), so forwarding can send it only while it is pending
 * in memory; see {@link Forwarder}.
 */
record StoredEvent(long appId, UUID eventId, String eventType, String eventName, Instant occurredAt,
                   String sessionId, String visitorId, String userId, boolean consentAds,
                   Double value, String currency, Map<String, String> clickIds, Map<String, String> campaign,
                   String emailSha256, String phoneSha256, String phoneE164Sha256, String externalIdSha256,
                   String appVersion, String os, String osVersion, String deviceModel, String browser,
                   String locale, String country, String city, String url, String referrer, String title,
                   String propertiesJson) {

    /** Sent by a native app (it reports an app version, or has no browser) rather than from a web page. */
    boolean fromApp() {
        return appVersion != null || browser == null;
    }

    Outgoing toOutgoing(long deliveryId, String platformEventName) {
        return toOutgoing(deliveryId, platformEventName, null);
    }

    /** With the client's address and User-Agent when the destination may send them and they were sealed. */
    Outgoing toOutgoing(long deliveryId, String platformEventName, ClientDataCipher.ClientData client) {
        return new Outgoing(deliveryId, eventId, eventType, eventName, platformEventName, occurredAt, value, currency,
                clickIds, campaign, emailSha256, phoneSha256, phoneE164Sha256, externalIdSha256, visitorId, userId, sessionId,
                client == null ? null : client.ip(), client == null ? null : client.userAgent(), fromApp(), appVersion, os, osVersion, deviceModel, locale, country, city, url, referrer,
                title, propertiesJson);
    }
}
