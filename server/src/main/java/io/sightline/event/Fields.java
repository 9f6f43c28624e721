package io.sightline.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Reads one member of a JSON object against its bounds, or throws the {@link Rejection} naming it.
 * A member that is absent or JSON {@code null} counts as not given. Field paths are built as
 * {@code prefix + key} only when something is wrong, so the happy path allocates nothing for them.
 * Lengths are in Unicode code points, as PostgreSQL's {@code char_length} counts them.
 */
final class Fields {
    static final int MAX_ECHO = 64;

    private Fields() {
    }

    static String requiredString(JsonNode parent, String prefix, String key, int min, int max, String whenMissing) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            throw new Rejection("missing_field", prefix + key, prefix + key + " is required" + whenMissing);
        }
        return string(value, prefix, key, min, max);
    }

    static String optionalString(JsonNode parent, String prefix, String key, int min, int max) {
        JsonNode value = parent.get(key);
        return value == null || value.isNull() ? null : string(value, prefix, key, min, max);
    }

    static String string(JsonNode value, String prefix, String key, int min, int max) {
        if (!value.isTextual()) {
            throw new Rejection("invalid_type", prefix + key, prefix + key + " must be a string");
        }
        String s = value.textValue();
        int length = storableLength(s);
        if (length < 0) {
            throw invalidCharacter(prefix + key);
        }
        if (length < min) {
            throw new Rejection("invalid_value", prefix + key, prefix + key
                    + (min == 1 ? " must not be empty" : " must be at least " + min + " characters"));
        }
        if (length > max) {
            throw new Rejection("too_long", prefix + key, prefix + key + " must be at most " + max + " characters");
        }
        return s;
    }

    static Double optionalNumber(JsonNode parent, String prefix, String key, double min, double max) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new Rejection("invalid_type", prefix + key, prefix + key + " must be a number");
        }
        double d = value.doubleValue();
        if (Double.isNaN(d)) {
            throw new Rejection("invalid_value", prefix + key, prefix + key + " must be a finite number");
        }
        // Also catches infinities, which is what Jackson makes of a literal beyond the double range.
        if (!(d >= min && d <= max)) {
            throw outOfRange(prefix + key, min, max);
        }
        return d;
    }

    static Long optionalInteger(JsonNode parent, String prefix, String key, long min, long max) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new Rejection("invalid_type", prefix + key, prefix + key + " must be an integer");
        }
        if (!value.isIntegralNumber()) {
            throw new Rejection("invalid_value", prefix + key, prefix + key + " must be a whole number");
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw outOfRange(prefix + key, min, max);
        }
        return value.longValue();
    }

    static Boolean optionalBoolean(JsonNode parent, String prefix, String key) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new Rejection("invalid_type", prefix + key, prefix + key + " must be true or false");
        }
        return value.booleanValue();
    }

    /** The member as an object, or null when not given. */
    static JsonNode optionalObject(JsonNode parent, String prefix, String key) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new Rejection("invalid_type", prefix + key, prefix + key + " must be a JSON object");
        }
        return value;
    }

    /** Rejects the first member, in the client's order, whose name is not in {@code known}. */
    static void rejectUnknown(JsonNode object, String prefix, List<String> known) {
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (!known.contains(member.getKey())) {
                String field = prefix + excerpt(member.getKey());
                throw new Rejection("unknown_field", field,
                        field + " is not a known field; allowed are " + String.join(", ", known));
            }
        }
    }

    /**
     * Length of {@code s} in code points, or -1 when it holds U+0000 or an unpaired surrogate,
     * neither of which PostgreSQL can store in text or jsonb.
     */
    static int storableLength(String s) {
        int n = s.length();
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return -1;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    pairs++;
                } else {
                    return -1;
                }
            }
        }
        return n - pairs;
    }

    static Rejection invalidCharacter(String field) {
        return new Rejection("invalid_character", field,
                field + " must not contain U+0000 or unpaired UTF-16 surrogates");
    }

    static Rejection outOfRange(String field, double min, double max) {
        return new Rejection("out_of_range", field,
                field + " must be between " + number(min) + " and " + number(max));
    }

    /**
     * At most {@value #MAX_ECHO} chars of a client's value, safe to put in a message: control characters and
     * unpaired surrogates become '?', and a surrogate pair is never cut in half.
     */
    static String excerpt(String s) {
        int end = Math.min(s.length(), MAX_ECHO);
        if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e18 ? Long.toString((long) d) : Double.toString(d);
    }
}
