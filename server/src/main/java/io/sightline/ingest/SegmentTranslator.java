package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.auth.App;
import io.sightline.event.IsoInstant;
import io.sightline.event.Traits;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

/**
 * Turns one Segment message into a native event (or a link, or nothing, or a drop); see the README's "Segment
 * clients" for the mapping table. The native event then goes through the same validation as any other, so a
 * message whose mapped properties break a rule (a {@code placement} without {@code object_id}) is refused there,
 * by index, with its siblings stored.
 *
 * <p>Time: Segment's {@code timestamp} (else {@code originalTimestamp}) is the client's clock; with {@code sentAt},
 * also the client's clock, the event is moved by the difference between when the server received the request and
 * when the client says it sent it, as Segment corrects device clock skew:
 * {@code occurred_at = timestamp + (receivedAt - sentAt)}. Without {@code sentAt} the timestamp is taken as it is;
 * without either timestamp the server's time is used.
 */
final class SegmentTranslator {
    static final String PROTOCOL = "segment";
    /** Segment's limit per message. */
    static final int MAX_MESSAGE_BYTES = 32 * 1024;
    /** The view type (the views part of issue 17); named by its wire name so this compiles before it exists. */
    static final String SCREEN_VIEW = "screen_view";
    private static final Set<String> FIVE = Set.of("qr_scan", "placement", "interaction", "screenshot", "conversion");
    private static final Set<String> PAGE_FIELDS = Set.of("url", "path", "referrer", "title");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SegmentTraits traits;

    SegmentTranslator(SegmentTraits traits) {
        this.traits = traits;
    }

    /**
     * @param routeType the message type the route implies ({@code /v1/track}: "track"), or null for a batch, whose
     *                  messages name their own
     * @param batch     what the request's messages share (one per request)
     */
    SegmentMessage translate(App app, String routeType, SegmentRequest request, SegmentRequest.Message message,
                             Batch batch) {
        int index = message.index();
        JsonNode m = message.body();
        if (message.bytes() > MAX_MESSAGE_BYTES) {
            return new SegmentMessage.Dropped(index, "too_large", null);
        }
        if (m == null || !m.isObject()) {
            return new SegmentMessage.Dropped(index, "invalid_type", null);
        }
        String type = routeType != null ? routeType : SegmentContext.text(m.get("type"), 16);
        if (type == null) {
            return new SegmentMessage.Dropped(index, "missing_field", "type");
        }
        String anonymousId = id(m.get("anonymousId"));
        String userId = id(m.get("userId"));
        return switch (type) {
            case "track", "screen", "page" -> event(app, type, request, message, anonymousId, userId, batch);
            case "identify" -> anonymousId != null && userId != null
                    ? new SegmentMessage.Link(index, anonymousId, userId, traits.hashed(m.get("traits")))
                    : new SegmentMessage.Nothing(index);
            case "alias" -> {
                String previousId = id(m.get("previousId"));
                if (previousId == null || userId == null) {
                    yield new SegmentMessage.Dropped(index, "missing_field", previousId == null ? "previousId" : "userId");
                }
                yield new SegmentMessage.Link(index, previousId, userId, Traits.NONE);
            }
            case "group" -> new SegmentMessage.Nothing(index);
            default -> new SegmentMessage.Dropped(index, "unknown_message_type", "type");
        };
    }

    private SegmentMessage event(App app, String type, SegmentRequest request, SegmentRequest.Message message,
                                 String anonymousId, String userId, Batch batch) {
        JsonNode m = message.body();
        int index = message.index();
        ObjectNode event = NODES.objectNode();
        String messageId = SegmentContext.text(m.get("messageId"), 1024);
        if (messageId != null) {
            event.put("event_id", MessageIds.eventId(app.id(), PROTOCOL, messageId).toString());
        }
        SegmentContext context = new SegmentContext(m.get("context"), request.context());
        JsonNode properties = m.get("properties");
        if (properties != null && !properties.isNull() && !properties.isObject()) {
            return new SegmentMessage.Dropped(index, "invalid_type", "properties");
        }
        if (type.equals("track")) {
            String name = SegmentContext.text(m.get("event"), 1000);
            if (name == null) {
                return new SegmentMessage.Dropped(index, "missing_field", "event");
            }
            event.put("type", trackType(app.eventTypes(), name));
            event.put("name", name);
            if (properties != null && properties.isObject()) {
                event.set("properties", properties);
            }
        } else {
            event.put("type", SCREEN_VIEW);
            event.set("properties", view(m, properties, type.equals("page") ? context.part("page") : null));
        }
        Instant occurredAt;
        try {
            occurredAt = occurredAt(m, batch);
        } catch (DateTimeException e) {
            return new SegmentMessage.Dropped(index, "invalid_value", "timestamp");
        }
        if (occurredAt != null) {
            event.put("occurred_at", occurredAt.toEpochMilli());
        }
        if (anonymousId != null) {
            event.put("visitor_id", anonymousId);
        }
        if (userId != null) {
            event.put("user_id", userId);
        }
        SegmentContext.Mapped mapped = batch.contexts.map(context, traits::usable);
        if (mapped.context() != null) {
            event.set("context", mapped.context());
        }
        return new SegmentMessage.ToEvent(index, event, anonymousId, userId, mapped.ip(), mapped.userAgent());
    }

    /** The app's mapping first, then the five wire names themselves; anything else is custom. */
    static String trackType(Map<String, String> eventTypes, String name) {
        String mapped = eventTypes.get(name);
        if (mapped != null) {
            return mapped;
        }
        return FIVE.contains(name) ? name : "custom";
    }

    /**
     * A view's properties: the message's, plus its {@code name} (the screen's or page's name) and, for a page, the
     * {@code url}, {@code path}, {@code referrer} and {@code title} analytics.js puts in {@code context.page}.
     */
    private static ObjectNode view(JsonNode m, JsonNode properties, JsonNode page) {
        ObjectNode view = properties != null && properties.isObject() ? ((ObjectNode) properties).deepCopy()
                : NODES.objectNode();
        String name = SegmentContext.text(m.get("name"), 1000);
        if (name != null && !view.has("name")) {
            view.put("name", name);
        }
        if (page != null && page.isObject()) {
            for (String field : PAGE_FIELDS) {
                JsonNode value = page.get(field);
                if (value != null && value.isTextual() && !value.textValue().isEmpty() && !view.has(field)) {
                    view.put(field, value.textValue());
                }
            }
        }
        return view;
    }

    /**
     * What the messages of one request share: when it was received, the envelope's {@code sentAt} (parsed once, when
     * a message first needs it) and the contexts already mapped.
     */
    static final class Batch {
        private final Instant receivedAt;
        private final String sentAtText;
        private final SegmentContext.Memo contexts = new SegmentContext.Memo();
        private boolean sentAtParsed;
        private Instant sentAt;
        private DateTimeException sentAtError;

        Batch(Instant receivedAt, String sentAtText) {
            this.receivedAt = receivedAt;
            this.sentAtText = sentAtText;
        }

        /** The envelope's {@code sentAt}, or null; an unreadable one fails each message that needs it, as it always did. */
        Instant sentAt() {
            if (!sentAtParsed) {
                sentAtParsed = true;
                try {
                    sentAt = sentAtText == null ? null : parse(sentAtText);
                } catch (DateTimeException e) {
                    sentAtError = e;
                }
            }
            if (sentAtError != null) {
                throw sentAtError;
            }
            return sentAt;
        }
    }

    /** Null: no timestamp given, the server's clock decides. */
    static Instant occurredAt(JsonNode m, String batchSentAt, Instant receivedAt) {
        return occurredAt(m, new Batch(receivedAt, batchSentAt));
    }

    private static Instant occurredAt(JsonNode m, Batch batch) {
        Instant at = instant(m.get("timestamp"));
        if (at == null) {
            at = instant(m.get("originalTimestamp"));
        }
        if (at == null) {
            return null;
        }
        Instant sentAt = instant(m.get("sentAt"));
        if (sentAt == null) {
            sentAt = batch.sentAt();
        }
        return sentAt == null ? at : at.plus(Duration.between(sentAt, batch.receivedAt));
    }

    private static Instant instant(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new DateTimeException("not a string");
        }
        return parse(value.textValue());
    }

    /** ISO-8601 with an offset, as every Segment SDK writes it; without one, UTC, as Segment's spec says. */
    private static Instant parse(String text) {
        try {
            return IsoInstant.parse(text);
        } catch (DateTimeException e) {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
    }

    /** Segment's ids are strings; a number, which some SDKs let through, is taken as its text. */
    private static String id(JsonNode value) {
        return SegmentContext.text(value, 1000);
    }
}
