package io.sightline.ingest.umami;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One message of Umami's collection API, {@code {"type": ..., "payload": {"website": "<uuid>", ...}}}, with its
 * envelope checked: the type, the payload object and the website id, which names the app. The payload's other
 * fields are read when the message becomes an event ({@link UmamiEvents}); fields Umami does not know are ignored,
 * as Umami's own schema strips them.
 */
record UmamiMessage(Type type, UUID website, JsonNode payload) {
    /** The canonical form only: {@link UUID#fromString} also takes shortened groups such as "1-2-3-4-5". */
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Umami's message types. Only {@code event} is stored; see the README's "Umami clients". */
    enum Type {
        EVENT, IDENTIFY, PERFORMANCE;

        static Type fromWire(String s) {
            return switch (s) {
                case "event" -> EVENT;
                case "identify" -> IDENTIFY;
                case "performance" -> PERFORMANCE;
                default -> null;
            };
        }
    }

    static UmamiMessage read(JsonNode message) {
        if (message == null || !message.isObject()) {
            throw UmamiRejection.of(UmamiRejection.Reason.INVALID_TYPE,
                    "a message must be a JSON object {\"type\": \"event\", \"payload\": {...}}", null);
        }
        JsonNode typeNode = message.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw UmamiRejection.of(UmamiRejection.Reason.MISSING_FIELD,
                    "type is required: \"event\" or \"identify\"", "type");
        }
        Type type = typeNode.isTextual() ? Type.fromWire(typeNode.textValue()) : null;
        if (type == null) {
            throw UmamiRejection.of(UmamiRejection.Reason.INVALID_VALUE,
                    "type must be \"event\", \"identify\" or \"performance\"", "type");
        }
        JsonNode payload = message.get("payload");
        if (payload == null || payload.isNull()) {
            throw UmamiRejection.of(UmamiRejection.Reason.MISSING_FIELD, "payload is required", "payload");
        }
        if (!payload.isObject()) {
            throw UmamiRejection.of(UmamiRejection.Reason.INVALID_TYPE, "payload must be an object", "payload");
        }
        return new UmamiMessage(type, website(payload), payload);
    }

    private static UUID website(JsonNode payload) {
        JsonNode website = payload.get("website");
        if (website == null || website.isNull()) {
            boolean other = payload.hasNonNull("link") || payload.hasNonNull("pixel");
            throw UmamiRejection.of(UmamiRejection.Reason.MISSING_FIELD, other
                    ? "Sightline collects for websites only, not Umami links or pixels: payload.website is required"
                    : "payload.website is required: the website id an app has as umami_website_id",
                    "payload.website");
        }
        if (!website.isTextual() || !UUID_TEXT.matcher(website.textValue()).matches()) {
            throw UmamiRejection.of(UmamiRejection.Reason.INVALID_VALUE,
                    "payload.website must be a UUID such as \"0b3c9a52-6f1e-4c2a-9d1e-5a7b3c9d2e10\"",
                    "payload.website");
        }
        return UUID.fromString(website.textValue());
    }
}
