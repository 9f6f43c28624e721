package io.sightline.sdk;

import java.util.Arrays;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * The little JSON the SDK writes, by hand so that it needs no library: strings escaped as RFC 8259 requires
 * (quote, backslash, every control character, and the line and paragraph separators that some JavaScript
 * readers choke on), numbers that JSON can hold (NaN and infinities become null), maps, collections and arrays.
 * Any other value is written as its {@code toString()}.
 */
final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Deeper values are cut off: the server refuses properties deeper than 3 anyway, and a cycle must not loop. */
    private static final int MAX_DEPTH = 16;

    private final StringBuilder out;

    JsonWriter(StringBuilder out) {
        this.out = out;
    }

    JsonWriter raw(String text) {
        out.append(text);
        return this;
    }

    /** {@code "name":} after a comma unless {@code first}. */
    JsonWriter key(String name, boolean first) {
        if (!first) {
            out.append(',');
        }
        string(name);
        out.append(':');
        return this;
    }

    JsonWriter string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
        return this;
    }

    JsonWriter value(Object v) {
        return value(v, 0);
    }

    private JsonWriter value(Object v, int depth) {
        if (v == null || depth > MAX_DEPTH) {
            out.append("null");
        } else if (v instanceof String) {
            string((String) v);
        } else if (v instanceof Boolean) {
            out.append(((Boolean) v).booleanValue());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                out.append("null");
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                out.append((long) d); // 3.0 as 3: the same number, and what a reader of the stored JSON expects
            } else {
                out.append(d);
            }
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            out.append(v);
        } else if (v instanceof BigDecimal) {
            out.append(((BigDecimal) v).toPlainString());
        } else if (v instanceof Number) {
            value(((Number) v).doubleValue(), depth);
        } else if (v instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                key(String.valueOf(e.getKey()), first);
                value(e.getValue(), depth + 1);
                first = false;
            }
            out.append('}');
        } else if (v instanceof Collection) {
            out.append('[');
            boolean first = true;
            for (Object item : (Collection<?>) v) {
                if (!first) {
                    out.append(',');
                }
                value(item, depth + 1);
                first = false;
            }
            out.append(']');
        } else if (v instanceof Object[]) {
            value(Arrays.asList((Object[]) v), depth);
        } else if (v instanceof int[]) {
            array(Arrays.stream((int[]) v).boxed().toArray());
        } else if (v instanceof long[]) {
            array(Arrays.stream((long[]) v).boxed().toArray());
        } else if (v instanceof double[]) {
            array(Arrays.stream((double[]) v).boxed().toArray());
        } else {
            string(v.toString());
        }
        return this;
    }

    private void array(Object[] numbers) {
        value(Arrays.asList(numbers), 0);
    }
}
