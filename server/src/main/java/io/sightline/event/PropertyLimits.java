package io.sightline.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.util.Map;
import java.util.Set;

/**
 * The limits every {@code properties} object obeys, whatever the event type, and its one serialization.
 * The walk visits members in the client's order, depth first, so the first violation is deterministic;
 * the byte limit is checked last, on the text that will be stored.
 */
final class PropertyLimits {
    static final int MAX_KEYS = 50;
    static final int MAX_KEY_LENGTH = 64;
    static final int MAX_STRING = 1000;
    static final int MAX_DEPTH = 3;
    static final int MAX_ITEMS = 50;
    static final int MAX_BYTES = 16384;
    static final double MAX_MAGNITUDE = 1e15;

    /** Immutable and thread-safe; the default output is compact and keeps an object's member order. */
    private static final ObjectWriter WRITER = new ObjectMapper().writer();

    private PropertyLimits() {
    }

    /** Returns the compact JSON text of {@code properties}, an object node, once it passes every limit. */
    static String checkAndSerialize(JsonNode properties) {
        return checkAndSerialize(properties, Set.of());
    }

    /**
     * As {@link #checkAndSerialize(JsonNode)}, except that the top-level strings under {@code ownLimits} are not held
     * to {@link #MAX_STRING}: their type's rule has already bound them (a view's URL may be 2000 characters).
     */
    static String checkAndSerialize(JsonNode properties, Set<String> ownLimits) {
        if (properties.size() > MAX_KEYS) {
            throw new Rejection("too_many_items", "properties",
                    "properties must have at most " + MAX_KEYS + " keys, got " + properties.size());
        }
        for (Map.Entry<String, JsonNode> member : properties.properties()) {
            String key = member.getKey();
            checkKey(key, "properties");
            if (!(member.getValue().isTextual() && ownLimits.contains(key))) {
                value(member.getValue(), "properties", key, 0, 1);
            }
        }
        String json = serialize(properties);
        if (json.length() > MAX_BYTES || utf8Length(json) > MAX_BYTES) {
            throw new Rejection("too_large", "properties",
                    "properties must be at most " + MAX_BYTES + " bytes as UTF-8 JSON");
        }
        return json;
    }

    private static void object(JsonNode object, String path, int depth) {
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            String key = member.getKey();
            checkKey(key, path);
            value(member.getValue(), path, key, 0, depth);
        }
    }

    private static void array(JsonNode array, String path, int depth) {
        if (array.size() > MAX_ITEMS) {
            throw new Rejection("too_many_items", path,
                    path + " must have at most " + MAX_ITEMS + " items, got " + array.size());
        }
        for (int i = 0; i < array.size(); i++) {
            value(array.get(i), path, null, i, depth);
        }
    }

    /** A member of an object when {@code key} is set, else item {@code index} of an array. */
    private static void value(JsonNode value, String parent, String key, int index, int depth) {
        switch (value.getNodeType()) {
            case STRING -> {
                int length = Fields.storableLength(value.textValue());
                if (length < 0) {
                    throw Fields.invalidCharacter(path(parent, key, index));
                }
                if (length > MAX_STRING) {
                    String field = path(parent, key, index);
                    throw new Rejection("too_long", field, field + " must be at most " + MAX_STRING + " characters");
                }
            }
            case NUMBER -> {
                double d = value.doubleValue();
                if (Double.isNaN(d)) {
                    String field = path(parent, key, index);
                    throw new Rejection("invalid_value", field, field + " must be a finite number");
                }
                if (!(Math.abs(d) <= MAX_MAGNITUDE)) {
                    throw Fields.outOfRange(path(parent, key, index), -MAX_MAGNITUDE, MAX_MAGNITUDE);
                }
            }
            case BOOLEAN, NULL -> {
            }
            case OBJECT, ARRAY -> {
                String field = path(parent, key, index);
                if (depth >= MAX_DEPTH) {
                    throw new Rejection("too_deep", field, "properties may nest objects and arrays at most "
                            + MAX_DEPTH + " levels deep, counting properties itself; " + field + " is deeper");
                }
                if (value.isObject()) {
                    object(value, field, depth + 1);
                } else {
                    array(value, field, depth + 1);
                }
            }
            default -> {
                String field = path(parent, key, index);
                throw new Rejection("invalid_type", field, field + " must be a JSON value");
            }
        }
    }

    private static void checkKey(String key, String path) {
        if (key.isEmpty()) {
            throw new Rejection("invalid_value", path, path + " has a key that is empty; keys must be 1 to "
                    + MAX_KEY_LENGTH + " characters");
        }
        int length = Fields.storableLength(key);
        if (length < 0 || hasControlCharacter(key)) {
            String field = path + "." + Fields.excerpt(key);
            throw new Rejection("invalid_character", field,
                    "keys in " + path + " must not contain control characters or unpaired UTF-16 surrogates");
        }
        if (length > MAX_KEY_LENGTH) {
            String field = path + "." + Fields.excerpt(key);
            throw new Rejection("too_long", field,
                    "keys in " + path + " must be at most " + MAX_KEY_LENGTH + " characters");
        }
    }

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String path(String parent, String key, int index) {
        return parent + "." + (key != null ? key : Integer.toString(index));
    }

    private static String serialize(JsonNode properties) {
        try {
            return WRITER.writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back", e);
        }
    }

    /** Valid for text without unpaired surrogates, which the walk has already refused. */
    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
