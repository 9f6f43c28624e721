package io.sightline.sdk;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes one event in the server's native shape (README, "Event fields"): {@code event_id}, {@code type},
 * {@code name} for custom events, {@code occurred_at}, {@code visitor_id}, {@code session_id}, {@code user_id},
 * {@code properties} and {@code context} with app, device, locale and consent. The context's fixed part is
 * written once.
 */
final class EventEncoder {
    private final String fixedContext;

    EventEncoder(SightlineBuilder settings) {
        StringBuilder sb = new StringBuilder();
        JsonWriter w = new JsonWriter(sb);
        boolean first = true;
        if (settings.appVersion != null || settings.appBuild != null) {
            w.key("app", true).raw("{");
            boolean f = optional(w, "version", settings.appVersion, true);
            optional(w, "build", settings.appBuild, f);
            w.raw("}");
            first = false;
        }
        if (settings.os != null || settings.osVersion != null || settings.deviceModel != null
                || settings.deviceType != null) {
            w.key("device", first).raw("{");
            boolean f = optional(w, "os", settings.os, true);
            f = optional(w, "os_version", settings.osVersion, f);
            f = optional(w, "model", settings.deviceModel, f);
            optional(w, "type", settings.deviceType, f);
            w.raw("}");
            first = false;
        }
        if (settings.locale != null) {
            w.key("locale", first).string(settings.locale);
            first = false;
        }
        w.key("consent", first);
        this.fixedContext = sb.toString();
    }

    /** Writes {@code "key":"value"} when the value is given; answers whether the next key is still the first. */
    private static boolean optional(JsonWriter w, String key, String value, boolean first) {
        if (value == null) {
            return first;
        }
        w.key(key, first).string(value);
        return false;
    }

    byte[] encode(PendingEvent e, String eventId, String visitorId, String sessionId) {
        StringBuilder sb = new StringBuilder(256);
        JsonWriter w = new JsonWriter(sb);
        w.raw("{").key("event_id", true).string(eventId);
        w.key("type", false).string(e.type);
        if (e.name != null) {
            w.key("name", false).string(e.name);
        }
        w.key("occurred_at", false).string(Instant.ofEpochMilli(e.atMillis).toString());
        w.key("visitor_id", false).string(visitorId);
        w.key("session_id", false).string(sessionId);
        if (e.userId != null) {
            w.key("user_id", false).string(e.userId);
        }
        w.key("properties", false).raw("{");
        Object[] p = e.properties;
        for (int i = 0; i + 1 < p.length; i += 2) {
            w.key((String) p[i], i == 0).value(p[i + 1]);
        }
        w.raw("}").key("context", false).raw("{").raw(fixedContext);
        // Consent travels with each event: analytics is always true here, since without it nothing is queued.
        w.raw("{\"analytics\":true");
        if (e.adsConsent != null) {
            w.raw(",\"ads\":").raw(e.adsConsent.toString());
        }
        w.raw("}}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
