package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.destinations.Outgoing;

import java.util.Locale;

/**
 * One Sightline event as a Meta Conversions API server event, field by field as the parameter reference gives them
 * (developers.facebook.com/docs/marketing-api/conversions-api/parameters):
 * <ul>
 *   <li>{@code event_name}, {@code event_time} (Unix seconds, GMT) and {@code event_id}: the Sightline event id, the
 *       same on every re-send and the same one a browser pixel or app SDK would send, so Meta keeps one of them
 *       ("server-event" parameters, and "Handling Duplicate Pixel and Conversions API Events");</li>
 *   <li>{@code action_source} {@code app} with {@code app_data} for an app on iOS or Android, else {@code website}
 *       with {@code event_source_url} when the event has a URL. The App Data reference makes
 *       {@code advertiser_tracking_enabled}, {@code application_tracking_enabled} and {@code extinfo} required for app
 *       events, and {@code extinfo}'s version must be {@code a2} (Android) or {@code i2} (iOS); an app on any other
 *       system (a desktop 3D viewer) therefore goes out as {@code other}, which needs no app data;</li>
 *   <li>{@code user_data}: {@code em}, {@code ph}, {@code external_id} as lists of SHA-256 hex (hashing required for
 *       the first two, recommended for the third), and {@code fbc}, {@code fbp}, {@code client_ip_address},
 *       {@code client_user_agent} unhashed ("Customer Information Parameters"). A hash that is not 64 lower-case hex
 *       characters is left out rather than sent, since it could be a raw value. Without {@code fbc} but with an
 *       {@code fbclid}, {@code fbc} is built as the reference describes: {@code fb.1.<creation ms>.<fbclid>};</li>
 *   <li>{@code custom_data}: {@code value} and {@code currency} when the event carries a value.</li>
 * </ul>
 */
final class MetaServerEvent {
    /** The extinfo array has 16 positions; unknown ones are sent as empty strings, as the App Data reference asks. */
    private static final int EXTINFO_LENGTH = 16;

    private MetaServerEvent() {
    }

    static ObjectNode of(Outgoing e) {
        ObjectNode event = PlatformHttp.JSON.createObjectNode();
        event.put("event_name", e.platformEventName());
        event.put("event_time", e.occurredAt().getEpochSecond());
        event.put("event_id", e.eventId().toString());
        String extinfoVersion = e.fromApp() ? extinfoVersion(e.os()) : null;
        if (extinfoVersion != null) {
            event.put("action_source", "app");
            event.set("app_data", appData(e, extinfoVersion));
        } else if (e.fromApp()) {
            event.put("action_source", "other");
        } else {
            event.put("action_source", "website");
            if (e.url() != null) {
                event.put("event_source_url", e.url());
            }
        }
        event.set("user_data", userData(e));
        if (e.value() != null) {
            ObjectNode custom = event.putObject("custom_data");
            custom.put("value", e.value());
            if (e.currency() != null) {
                custom.put("currency", e.currency());
            }
        }
        return event;
    }

    private static ObjectNode userData(Outgoing e) {
        ObjectNode user = PlatformHttp.JSON.createObjectNode();
        hashList(user, "em", e.emailSha256());
        hashList(user, "ph", e.phoneSha256());
        hashList(user, "external_id", e.externalIdSha256());
        String fbc = e.clickId("fbc");
        if (fbc == null && e.clickId("fbclid") != null) {
            fbc = "fb.1." + e.occurredAt().toEpochMilli() + "." + e.clickId("fbclid");
        }
        putIfPresent(user, "fbc", fbc);
        putIfPresent(user, "fbp", e.clickId("fbp"));
        // The outbox fills these two only when the destination allows sending them.
        putIfPresent(user, "client_ip_address", e.clientIp());
        putIfPresent(user, "client_user_agent", e.userAgent());
        return user;
    }

    /**
     * App events: the event reached Meta only because its sender gave ads consent (the outbox filters on it), which
     * is what both tracking flags state; an iOS app asks the system's ATT permission before it gives that consent.
     */
    private static ObjectNode appData(Outgoing e, String version) {
        ObjectNode app = PlatformHttp.JSON.createObjectNode();
        app.put("advertiser_tracking_enabled", 1);
        app.put("application_tracking_enabled", 1);
        ArrayNode extinfo = app.putArray("extinfo");
        String[] values = new String[EXTINFO_LENGTH];
        java.util.Arrays.fill(values, "");
        values[0] = version;
        values[2] = nullToEmpty(e.appVersion());
        values[3] = nullToEmpty(e.appVersion());
        values[4] = nullToEmpty(e.osVersion());
        values[5] = nullToEmpty(e.deviceModel());
        values[6] = e.locale() == null ? "" : e.locale().replace('-', '_');
        for (String v : values) {
            extinfo.add(v);
        }
        return app;
    }

    /** {@code a2} for Android, {@code i2} for Apple's mobile systems, null for a system Meta's app events do not know. */
    static String extinfoVersion(String os) {
        if (os == null) {
            return null;
        }
        String name = os.toLowerCase(Locale.ROOT);
        if (name.contains("android")) {
            return "a2";
        }
        if (name.equals("ios") || name.equals("ipados") || name.startsWith("ios ") || name.startsWith("ipados ")) {
            return "i2";
        }
        return null;
    }

    private static void hashList(ObjectNode user, String field, String sha256) {
        if (PlatformHttp.isSha256Hex(sha256)) {
            user.putArray(field).add(sha256);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
