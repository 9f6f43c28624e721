package io.sightline.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Segment request body, read: its messages, each with its size in bytes as sent (Segment's 32 KiB limit is per
 * message), and what a batch shares: {@code context} (which applies to every message of the batch), {@code sentAt}
 * and {@code writeKey}. Other members of the envelope ({@code integrations}, {@code sequence}, ...) are skipped.
 *
 * <p>A batch is read with a streaming parser, so each message's size is the distance between its first and last
 * byte, measured while parsing: no message is serialised again just to be weighed.
 *
 * @param context  the batch's {@code context} object, or null
 * @param sentAt   the envelope's {@code sentAt} text, or null
 * @param writeKey the envelope's {@code writeKey} text, or null
 */
record SegmentRequest(List<Message> messages, JsonNode context, String sentAt, String writeKey) {

    /** One message of the request; {@code bytes} is its size as the client sent it. */
    record Message(int index, JsonNode body, int bytes) {}

    SegmentRequest {
        messages = List.copyOf(messages);
    }

    /** A single-message route ({@code /v1/track}, ...): the body is the message. */
    static SegmentRequest single(byte[] body, ObjectMapper mapper) {
        requireUtf8(body);
        JsonNode message;
        try {
            message = mapper.readTree(body);
        } catch (IOException e) {
            throw malformed(e);
        }
        if (message == null || !message.isObject()) {
            throw SegmentRejection.malformed("the body must be a JSON object (one message)", null);
        }
        return new SegmentRequest(List.of(new Message(0, message, body.length)), null, text(message.get("sentAt")),
                text(message.get("writeKey")));
    }

    /** {@code /v1/batch} and {@code /v1/import}: {@code {"batch": [...], "context": {...}, "sentAt": "..."}}. */
    static SegmentRequest batch(byte[] body, ObjectMapper mapper) {
        requireUtf8(body);
        List<Message> messages = null;
        JsonNode context = null;
        String sentAt = null;
        String writeKey = null;
        // The members are read one by one from the parser, so the mapper's trailing-token check (made for a whole
        // body) is off for them; the end of the body is checked below instead.
        ObjectReader members = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser p = mapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw SegmentRejection.malformed("the body must be a JSON object {\"batch\": [...]}", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "batch" -> messages = messages(p, value, members);
                    case "context" -> context = members.readTree(p);
                    case "sentAt" -> sentAt = text(members.readTree(p));
                    case "writeKey" -> writeKey = text(members.readTree(p));
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw SegmentRejection.malformed("the request body holds more than one JSON value", null);
            }
        } catch (IOException e) {
            throw malformed(e);
        }
        if (messages == null) {
            throw IngestRejection.envelope(IngestRejection.Reason.MISSING_FIELD, "batch is required", "batch");
        }
        return new SegmentRequest(messages, context != null && context.isObject() ? context : null, sentAt, writeKey);
    }

    private static List<Message> messages(JsonParser p, JsonToken first, ObjectReader members) throws IOException {
        if (first != JsonToken.START_ARRAY) {
            throw IngestRejection.envelope(IngestRejection.Reason.INVALID_TYPE, "batch must be an array of messages",
                    "batch");
        }
        List<Message> messages = new ArrayList<>();
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            long start = p.currentTokenLocation().getByteOffset();
            JsonNode message = members.readTree(p);
            long end = p.currentLocation().getByteOffset();
            messages.add(new Message(index++, message, (int) (end - start)));
        }
        return messages;
    }

    /** A string member's text; null for anything else (Segment's envelope is lenient, so is this). */
    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static void requireUtf8(byte[] body) {
        // Well-formed UTF-8 is checked by the transport (http.EncodedBody), after inflating.
        if (body.length == 0) {
            throw SegmentRejection.malformed("the request body is empty; send a JSON object", null);
        }
    }

    private static SegmentRejection malformed(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return SegmentRejection.malformed(
                    "the request body exceeds a JSON limit (nesting depth, number or string length)", null);
        }
        if (e instanceof JsonProcessingException json && json.getLocation() != null) {
            JsonLocation at = json.getLocation();
            return SegmentRejection.malformed("the request body is not valid JSON at line " + at.getLineNr()
                    + ", column " + at.getColumnNr(), null);
        }
        return SegmentRejection.malformed("the request body is not valid JSON", null);
    }
}
