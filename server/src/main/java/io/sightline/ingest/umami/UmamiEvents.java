package io.sightline.ingest.umami;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.auth.App;
import io.sightline.event.EventType;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an Umami {@code event} message into the native event the pipeline validates, so that everything after
 * this (validation, consent, bots, enrichment, storage) is the native path's:
 * <ul>
 *   <li>a pageview (no {@code name}) is a {@code screen_view} with the page's {@code url}, {@code path},
 *       {@code referrer}, {@code title} and {@code screen} as properties;</li>
 *   <li>a named event is the AR type of that name (one of the five wire names, or a name the app maps in its
 *       {@code event_types}), else {@code custom} with the name; its {@code data} are its properties, plus the
 *       page's {@code url} and {@code path} where {@code data} has no such key;</li>
 *   <li>{@code language} is the locale, {@code id} (what {@code umami.identify(id)} set) the user id, and
 *       {@code timestamp} (Unix seconds) the time it occurred.</li>
 * </ul>
 * No visitor or session is sent: as Umami derives them from the address, the User-Agent and a salt, so does
 * Sightline's enrichment when an event comes without them. The native rules apply unchanged; a violation is
 * reported with the Umami field it came from ({@link #umamiField}).
 */
final class UmamiEvents {
    /** The view type, by its wire name: it is added to {@link EventType} by the views part of this issue. */
    static final String VIEW = "screen_view";
    private static final Set<EventType> AR_TYPES = EnumSet.of(EventType.QR_SCAN, EventType.PLACEMENT,
            EventType.INTERACTION, EventType.SCREENSHOT, EventType.CONVERSION);
    private static final Pattern SCREEN = Pattern.compile("\\d{1,5}x\\d{1,5}");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The payload's text fields: another JSON type is refused whether or not this message uses the field. */
    private static final List<String> TEXT_FIELDS = List.of("hostname", "url", "referrer", "title", "name", "screen",
            "language", "id", "tag");

    private UmamiEvents() {
    }

    static ObjectNode toNative(UmamiMessage message, App app) {
        JsonNode payload = message.payload();
        TEXT_FIELDS.forEach(field -> optionalText(payload, field));
        String name = optionalText(payload, "name");
        JsonNode data = payload.get("data");
        if (data != null && !data.isNull() && !data.isObject()) {
            throw UmamiRejection.of(UmamiRejection.Reason.INVALID_TYPE, "payload.data must be an object",
                    "payload.data");
        }
        UmamiPage page = UmamiPage.of(optionalText(payload, "url"), optionalText(payload, "hostname"));
        ObjectNode event = JSON.objectNode();
        ObjectNode properties = data != null && data.isObject() ? ((ObjectNode) data).deepCopy() : JSON.objectNode();
        if (name == null || name.isEmpty()) {
            // As Umami: an empty name is a pageview too.
            event.put("type", VIEW);
            putIfPresent(properties, "url", page.url());
            putIfPresent(properties, "path", page.path());
            putIfPresent(properties, "referrer", UmamiPage.referrer(optionalText(payload, "referrer")));
            putIfPresent(properties, "title", UmamiPage.title(optionalText(payload, "title")));
            String screen = optionalText(payload, "screen");
            putIfPresent(properties, "screen", screen != null && SCREEN.matcher(screen).matches() ? screen : null);
        } else {
            event.put("type", typeOf(name, app).map(EventType::wireName).orElse(EventType.CUSTOM.wireName()));
            event.put("name", name);
            if (!properties.has("url")) {
                putIfPresent(properties, "url", page.url());
            }
            if (!properties.has("path")) {
                putIfPresent(properties, "path", page.path());
            }
        }
        occurredAt(payload.get("timestamp"), event);
        String userId = optionalText(payload, "id");
        putIfPresent(event, "user_id", userId == null || userId.isEmpty() ? null : userId);
        if (!properties.isEmpty()) {
            event.set("properties", properties);
        }
        String language = optionalText(payload, "language");
        if (language != null && !language.isEmpty()) {
            event.set("context", JSON.objectNode().put("locale", language));
        }
        return event;
    }

    /** One of the five AR types when the name is its wire name or the app maps the name to it. */
    static Optional<EventType> typeOf(String name, App app) {
        Optional<EventType> own = EventType.fromWire(name).filter(AR_TYPES::contains);
        if (own.isPresent()) {
            return own;
        }
        return EventType.fromWire(app.eventTypes().get(name)).filter(AR_TYPES::contains);
    }

    /**
     * The Umami field a native field came from, for the error a client reads: {@code properties.color} of a named
     * event is {@code payload.data.color}, {@code context.locale} is {@code payload.language}, and so on.
     */
    static String umamiField(String field, UmamiMessage message) {
        if (field == null) {
            return null;
        }
        JsonNode data = message.payload().get("data");
        if (field.startsWith("properties.")) {
            String key = field.substring("properties.".length());
            String top = key.split("\\.", 2)[0];
            if (data != null && data.has(top)) {
                return "payload.data." + key;
            }
            return switch (top) {
                case "url", "path" -> "payload.url";
                case "referrer" -> "payload.referrer";
                case "title" -> "payload.title";
                case "screen" -> "payload.screen";
                default -> "payload.data." + key;
            };
        }
        return switch (field) {
            case "properties" -> "payload.data";
            case "name", "type" -> "payload.name";
            case "user_id" -> "payload.id";
            case "occurred_at" -> "payload.timestamp";
            case "context.locale" -> "payload.language";
            default -> "payload";
        };
    }

    /** Umami's {@code timestamp}: whole seconds since the epoch, as a number or as digits (Umami coerces it). */
    private static void occurredAt(JsonNode timestamp, ObjectNode event) {
        if (timestamp == null || timestamp.isNull()) {
            return;
        }
        long seconds;
        if (timestamp.isIntegralNumber() && timestamp.canConvertToLong()) {
            seconds = timestamp.longValue();
        } else if (timestamp.isTextual() && timestamp.textValue().matches("-?\\d{1,12}")) {
            seconds = Long.parseLong(timestamp.textValue());
        } else {
            throw UmamiRejection.of(UmamiRejection.Reason.INVALID_VALUE,
                    "payload.timestamp must be whole seconds since 1970-01-01T00:00:00Z", "payload.timestamp");
        }
        if (Math.abs(seconds) > 100_000_000_000L) {
            throw UmamiRejection.of(UmamiRejection.Reason.INVALID_VALUE,
                    "payload.timestamp must be whole seconds since 1970-01-01T00:00:00Z, not milliseconds",
                    "payload.timestamp");
        }
        event.put("occurred_at", seconds * 1000);
    }

    /** A string field of the payload, or null; any other JSON type is refused, as Umami's schema refuses it. */
    private static String optionalText(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw UmamiRejection.of(UmamiRejection.Reason.INVALID_TYPE, "payload." + field + " must be a string",
                    "payload." + field);
        }
        return value.textValue();
    }

    private static void putIfPresent(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
