package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.Outcome;

import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads LinkedIn's answer to a BATCH_CREATE into an outcome per element: the status of each element, or a 422's
 * {@code errors} by element index, or one outcome for all when the request itself failed.
 */
final class LinkedInReply {
    private static final Pattern ELEMENT_PATH = Pattern.compile("/?elements/(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LinkedInReply() {
    }

    static void apply(PlatformReply reply, List<Integer> sent, OutcomeSlots slots, DestinationConfig config, Clock clock) {
        if (!reply.answered()) {
            slots.fill(sent, new Outcome.Retry(null, reply.failure()));
            return;
        }
        JsonNode body = parse(reply.body());
        if (reply.transientStatus()) {
            slots.fill(sent, new Outcome.Retry(RetryAfter.fromHeader(reply.headers(), clock), message(reply.status(), body, config)));
            return;
        }
        if (reply.ok()) {
            JsonNode elements = body.path("elements");
            for (int row = 0; row < Math.min(elements.size(), sent.size()); row++) {
                JsonNode element = elements.get(row);
                int status = element.path("status").asInt(201);
                if (status >= 400) {
                    Outcome outcome = status == 429 || status >= 500
                            ? new Outcome.Retry(null, message(status, element.path("error"), config))
                            : new Outcome.Failed(message(status, element.path("error"), config));
                    slots.set(sent.get(row), outcome);
                }
            }
            slots.fill(sent, Outcome.DELIVERED);
            return;
        }
        if (reply.status() == 422 && body.has("errors")) {
            boolean located = markElementErrors(body.get("errors"), sent, slots, config);
            if (located) {
                slots.fill(sent, Outcome.DELIVERED);
                return;
            }
        }
        slots.fill(sent, new Outcome.Failed(message(reply.status(), body, config)));
    }

    /** Marks the elements a 422's {@code errors} name (an index-keyed map, or a list with an index or a path). */
    private static boolean markElementErrors(JsonNode errors, List<Integer> sent, OutcomeSlots slots, DestinationConfig config) {
        boolean located = false;
        if (errors.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = errors.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                located |= mark(parseIndex(entry.getKey()), entry.getValue(), sent, slots, config);
            }
        } else {
            for (JsonNode error : errors) {
                int row = error.has("index") ? error.path("index").asInt(-1) : pathIndex(error);
                located |= mark(row, error, sent, slots, config);
            }
        }
        return located;
    }

    private static boolean mark(int row, JsonNode error, List<Integer> sent, OutcomeSlots slots, DestinationConfig config) {
        if (row < 0 || row >= sent.size()) {
            return false;
        }
        slots.set(sent.get(row), new Outcome.Failed(message(422, error, config)));
        return true;
    }

    private static int pathIndex(JsonNode error) {
        for (String field : new String[] {"inputPath", "path", "location"}) {
            JsonNode path = error.path(field);
            String text = path.isObject() ? path.path("path").asText("") : path.asText("");
            Matcher m = ELEMENT_PATH.matcher(text);
            if (m.find()) {
                return parseIndex(m.group(1));
            }
        }
        return -1;
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException notIndex) {
            return -1;
        }
    }

    private static String message(int status, JsonNode error, DestinationConfig config) {
        String text = error.path("message").asText("");
        if (text.isEmpty()) {
            text = error.path("code").asText("");
        }
        return PlatformMessages.clean("HTTP " + status + (text.isEmpty() ? "" : ": " + text), config);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }
}
