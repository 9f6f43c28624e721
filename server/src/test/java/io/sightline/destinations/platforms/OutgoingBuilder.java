package io.sightline.destinations.platforms;

import io.sightline.destinations.Outgoing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** An {@link Outgoing} for tests: a web conversion by default, every field settable by name. */
final class OutgoingBuilder {
    static final String EMAIL_SHA256 = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
    static final String PHONE_SHA256 = "ee0ed3ad2e8a11fb1e1d2d8c31ab1ee6e9b8a3a1e0c10a7b3bca1c9e2b0f4d11";

    long deliveryId = 1;
    UUID eventId = UUID.randomUUID();
    String eventType = "conversion";
    String eventName;
    String platformEventName = "Purchase";
    Instant occurredAt;
    Double value = 49.9;
    String currency = "EUR";
    Map<String, String> clickIds = new HashMap<>();
    Map<String, String> campaign = new HashMap<>();
    String emailSha256 = EMAIL_SHA256;
    String phoneSha256;
    String externalIdSha256;
    String visitorId = "v-123";
    String userId;
    String sessionId = "s-456";
    String clientIp;
    String userAgent;
    boolean fromApp;
    String appVersion;
    String os;
    String osVersion;
    String deviceModel;
    String locale = "en-US";
    String country;
    String city;
    String url = "https://shop.example.com/checkout/done";
    String referrer;
    String title = "Thank you";
    String propertiesJson = "{}";

    OutgoingBuilder(Instant occurredAt) {
        this.occurredAt = occurredAt;
    }

    OutgoingBuilder app(String os, String osVersion) {
        fromApp = true;
        this.os = os;
        this.osVersion = osVersion;
        appVersion = "2.3.1";
        deviceModel = "iPhone15,2";
        url = null;
        title = null;
        return this;
    }

    Outgoing build() {
        return new Outgoing(deliveryId, eventId, eventType, eventName, platformEventName, occurredAt, value, currency,
                clickIds, campaign, emailSha256, phoneSha256, phoneSha256, externalIdSha256, visitorId, userId, sessionId,
                clientIp, userAgent, fromApp, appVersion, os, osVersion, deviceModel, locale, country, city, url,
                referrer, title, propertiesJson);
    }
}
