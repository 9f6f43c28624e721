package io.sightline.bench.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where a platform's request carries Sightline's event id (the platform's dedup key), and how to read them out of
 * a request body: Meta {@code data[].event_id}, Google Ads {@code conversions[].orderId}, LinkedIn
 * {@code elements[].eventId}, X {@code conversions[].conversion_id}.
 *
 * @param array the top-level array of the body holding the events
 * @param field the member of each element holding the event id
 */
record EventIds(String array, String field) {
    static final EventIds META = new EventIds("data", "event_id");
    static final EventIds GOOGLE_ADS = new EventIds("conversions", "orderId");
    static final EventIds LINKEDIN = new EventIds("elements", "eventId");
    static final EventIds X = new EventIds("conversions", "conversion_id");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The parsed body, for a receiver that also needs the elements to build its answer. */
    static JsonNode parse(byte[] body) throws IOException {
        return JSON.readTree(body);
    }

    /**
     * The event ids of the body's elements, in order.
     *
     * @throws IllegalArgumentException when the array is missing or empty, or an element has no id, or the id is
     *     not a UUID: a request the benchmark cannot account for is an error, not a silent miss
     */
    List<UUID> of(JsonNode body) {
        JsonNode elements = body.path(array);
        if (!elements.isArray() || elements.isEmpty()) {
            throw new IllegalArgumentException("the body has no non-empty " + array + " array");
        }
        List<UUID> ids = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            JsonNode id = elements.get(i).path(field);
            if (!id.isTextual()) {
                throw new IllegalArgumentException(array + "[" + i + "]." + field + " is missing or not a string");
            }
            try {
                ids.add(UUID.fromString(id.asText()));
            } catch (IllegalArgumentException notUuid) {
                throw new IllegalArgumentException(array + "[" + i + "]." + field + " is not a UUID: " + id.asText());
            }
        }
        return ids;
    }
}
