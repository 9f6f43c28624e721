package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sightline's own protocol: {@code /track} carries one event as the body, {@code /batch} carries
 * {@code {"events": [...]}} with between 1 and the configured maximum of events. The events are already in the
 * native shape, so this adapter only checks and opens the envelope.
 */
public final class NativeAdapter {
    /** {@code /track}: the body is the event. */
    public static final ProtocolAdapter TRACK = (body, origin) ->
            new Incoming(List.of(new Incoming.Item(0, body)), origin, true);

    private NativeAdapter() {
    }

    /** {@code /batch}: {@code {"events": [...]}}, nothing else in the envelope. */
    public static ProtocolAdapter batch(int maxEvents) {
        return (body, origin) -> {
            JsonNode events = events(body, maxEvents);
            List<Incoming.Item> items = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                items.add(new Incoming.Item(i, events.get(i)));
            }
            return new Incoming(items, origin, false);
        };
    }

    private static JsonNode events(JsonNode body, int maxEvents) {
        if (!body.isObject()) {
            throw IngestRejection.envelope(IngestRejection.Reason.INVALID_TYPE,
                    "the body must be a JSON object {\"events\": [...]}", null);
        }
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            String key = entry.getKey();
            if (!key.equals("events")) {
                throw IngestRejection.envelope(IngestRejection.Reason.UNKNOWN_FIELD, "unknown field \"" + shorten(key)
                        + "\"; a batch is {\"events\": [...]}", shorten(key));
            }
        }
        JsonNode events = body.get("events");
        if (events == null) {
            throw IngestRejection.envelope(IngestRejection.Reason.MISSING_FIELD, "events is required", "events");
        }
        if (!events.isArray()) {
            throw IngestRejection.envelope(IngestRejection.Reason.INVALID_TYPE,
                    "events must be an array of event objects", "events");
        }
        if (events.isEmpty() || events.size() > maxEvents) {
            throw IngestRejection.envelope(IngestRejection.Reason.TOO_MANY_ITEMS, "events must hold between 1 and "
                    + maxEvents + " events, got " + events.size(), "events");
        }
        return events;
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64);
    }
}
