package io.sightline.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns one event, as parsed by Jackson, into an {@link Event} or the first {@link Violation} it commits.
 * Checks run in a fixed order (the event's own fields in wire order, then its properties, then its context)
 * so the same input always yields the same violation. Thread-safe; one instance serves all requests.
 */
public final class EventValidator {
    private static final List<String> FIELDS = List.of("event_id", "type", "name", "occurred_at",
            "session_id", "visitor_id", "user_id", "properties", "context");
    private static final String TYPES = Arrays.stream(EventType.values())
            .map(EventType::wireName).collect(Collectors.joining(", "));
    private static final String TIME_FORMS = "occurred_at must be an ISO-8601 instant with an offset, such as"
            + " \"2026-11-24T10:00:00Z\", or whole epoch milliseconds";

    private final ValidationLimits limits;
    private final Clock clock;
    private final String tooFarAhead;
    private final String tooFarBack;

    public EventValidator(ValidationLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.tooFarAhead = "occurred_at must not be more than " + describe(limits.futureTolerance())
                + " ahead of the server clock";
        this.tooFarBack = "occurred_at must not be more than " + describe(limits.backfillWindow())
                + " in the past";
    }

    /**
     * node is one event as parsed by Jackson; returns the FIRST violation found (deterministic order:
     * top-level fields, then properties, then context).
     */
    public Validation validate(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Validation.Invalid(new Violation("invalid_type", null, "an event must be a JSON object"));
        }
        try {
            return new Validation.Valid(read(node));
        } catch (Rejection rejection) {
            return new Validation.Invalid(rejection.violation());
        }
    }

    private Event read(JsonNode node) {
        // Unknown names go first: a misspelt "typ" is reported as itself rather than as a missing "type".
        Fields.rejectUnknown(node, "", FIELDS);
        UUID eventId = eventId(node.get("event_id"));
        EventType type = type(node.get("type"));
        String name = type == EventType.CUSTOM
                ? Fields.requiredString(node, "", "name", 1, 100, " for custom events")
                : Fields.optionalString(node, "", "name", 1, 100);
        Instant occurredAt = occurredAt(node.get("occurred_at"));
        String sessionId = Fields.optionalString(node, "", "session_id", 1, 128);
        String visitorId = Fields.optionalString(node, "", "visitor_id", 1, 128);
        String userId = Fields.optionalString(node, "", "user_id", 1, 128);

        JsonNode properties = Fields.optionalObject(node, "", "properties");
        PropertyRules.check(type, properties == null ? MissingNode.getInstance() : properties);
        String propertiesJson;
        if (properties == null) {
            propertiesJson = "{}";
        } else if (type == EventType.SCREEN_VIEW) {
            propertiesJson = PropertyLimits.checkAndSerialize(ScreenViewRules.withDerivedPath(properties),
                    ScreenViewRules.LONG_KEYS);
        } else {
            propertiesJson = PropertyLimits.checkAndSerialize(properties);
        }

        EventContext context = ContextReader.read(Fields.optionalObject(node, "", "context"));
        return new Event(eventId != null ? eventId : UUID.randomUUID(), type, name, occurredAt,
                sessionId, visitorId, userId, propertiesJson, context);
    }

    /** Null when the client sent none; one is generated only once the event has passed every check. */
    private static UUID eventId(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        String s = Fields.string(value, "", "event_id", 0, Integer.MAX_VALUE);
        UUID id = CanonicalUuid.parse(s);
        if (id == null) {
            throw new Rejection("invalid_value", "event_id",
                    "event_id must be a UUID in the form 8-4-4-4-12 hex digits, such as"
                            + " \"0b3c9a52-6f1e-4c2a-9d1e-5a7b3c9d2e10\"");
        }
        return id;
    }

    private static EventType type(JsonNode value) {
        if (value == null || value.isNull()) {
            throw new Rejection("missing_field", "type", "type is required; one of " + TYPES);
        }
        String s = Fields.string(value, "", "type", 0, Integer.MAX_VALUE);
        var type = EventType.fromWire(s);
        if (type.isEmpty()) {
            throw new Rejection("unknown_event_type", "type",
                    "type \"" + Fields.excerpt(s) + "\" is not one of " + TYPES);
        }
        return type.get();
    }

    private Instant occurredAt(JsonNode value) {
        Instant now = clock.instant();
        if (value == null || value.isNull()) {
            return now;
        }
        Instant at;
        if (value.isTextual()) {
            at = parseInstant(Fields.string(value, "", "occurred_at", 0, Integer.MAX_VALUE));
        } else if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw new Rejection("out_of_range", "occurred_at",
                        value.bigIntegerValue().signum() > 0 ? tooFarAhead : tooFarBack);
            }
            at = Instant.ofEpochMilli(value.longValue());
        } else if (value.isNumber()) {
            throw new Rejection("invalid_value", "occurred_at", TIME_FORMS);
        } else {
            throw new Rejection("invalid_type", "occurred_at", TIME_FORMS);
        }
        if (at.isAfter(now.plus(limits.futureTolerance()))) {
            throw new Rejection("out_of_range", "occurred_at", tooFarAhead);
        }
        if (at.isBefore(now.minus(limits.backfillWindow()))) {
            throw new Rejection("out_of_range", "occurred_at", tooFarBack);
        }
        return at;
    }

    private static Instant parseInstant(String s) {
        try {
            return IsoInstant.parse(s);
        } catch (DateTimeException e) {
            throw new Rejection("invalid_value", "occurred_at", TIME_FORMS);
        }
    }

    private static String describe(Duration d) {
        if (d.toDays() > 1 && d.equals(Duration.ofDays(d.toDays()))) {
            return plural(d.toDays(), "day");
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return plural(d.toHours(), "hour");
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return plural(d.toMinutes(), "minute");
        }
        return d.toMillis() % 1000 == 0 ? plural(d.toSeconds(), "second") : plural(d.toMillis(), "millisecond");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
