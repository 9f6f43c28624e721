package io.sightline.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a request body as JSON, refusing with a precise 4xx: a content type other than JSON (415), a body
 * over the limit (413, decided before reading all of it), an empty body, bytes that are not UTF-8, and
 * malformed or ambiguous JSON (duplicate keys, trailing content) (400). A body cut short is a 503.
 */
public final class JsonBody {
    private JsonBody() {
    }

    /**
     * A JSON object body whose field names are all in {@code allowed}; anything else is a 400 naming the
     * first unknown field.
     */
    public static JsonNode readObject(Context ctx, ObjectMapper mapper, int maxBytes, java.util.Collection<String> allowed) {
        JsonNode body = read(ctx, mapper, maxBytes);
        if (!body.isObject()) {
            throw ApiException.badRequest("invalid_type", "the body must be a JSON object", null);
        }
        for (java.util.Map.Entry<String, JsonNode> field : body.properties()) {
            if (!allowed.contains(field.getKey())) {
                throw ApiException.badRequest("unknown_field", "unknown field; allowed: " + String.join(", ", allowed),
                        field.getKey().length() > 64 ? field.getKey().substring(0, 64) : field.getKey());
            }
        }
        return body;
    }

    /** The numeric {@code {app}} path parameter; anything else is a 400 naming it. */
    public static long appId(Context ctx) {
        return pathId(ctx, "app", "app");
    }

    /** The numeric path parameter {@code name} (the id of a {@code what}); anything else is a 400 naming it. */
    public static long pathId(Context ctx, String name, String what) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_value", "the " + what + " id must be a number", name);
        }
    }

    /** The required string {@code field} of a body, 1 to {@code maxLength} characters and not blank; else a 400. */
    public static String text(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank() || value.asText().length() > maxLength) {
            throw ApiException.badRequest("invalid_value", field + " must be a string of 1 to " + maxLength
                    + " characters", field);
        }
        return value.asText();
    }

    public static JsonNode read(Context ctx, ObjectMapper mapper, int maxBytes) {
        requireMediaType(ctx.header("Content-Type"), "application/json");
        return parse(ctx, mapper, maxBytes);
    }

    /**
     * As {@link #read}, for JSON sent as {@code text/plain} (UTF-8): the one type a page may post to another
     * origin without a preflight, and what {@code navigator.sendBeacon} gives a string. The web tracker's route only.
     */
    public static JsonNode readPlainText(Context ctx, ObjectMapper mapper, int maxBytes) {
        requireMediaType(ctx.header("Content-Type"), "text/plain");
        return parse(ctx, mapper, maxBytes);
    }

    private static JsonNode parse(Context ctx, ObjectMapper mapper, int maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            try (InputStream in = ctx.req().getInputStream()) {
                BodyBytes.drain(in, maxBytes);
            } catch (IOException ignored) {
                // the client went away; the 413 below is all there is to say
            }
            throw tooLarge(maxBytes);
        }
        byte[] body = readBounded(ctx, maxBytes, declared);
        if (body.length == 0) {
            throw ApiException.badRequest("empty_body", "the request body is empty; send a JSON object", null);
        }
        requireUtf8(body);
        try {
            return mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("malformed_json",
                    "the request body exceeds a JSON limit (nesting depth, number or string length)", null);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.badRequest("malformed_json", "the request body is not valid JSON" + where, null);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", "the request body could not be read", null);
        }
    }

    private static void requireMediaType(String contentType, String expected) {
        if (contentType != null) {
            String[] parts = contentType.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean matches = type.equals(expected);
            boolean utf8 = true;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
                if (param.startsWith("charset=") && !param.equals("charset=utf-8")) {
                    utf8 = false;
                }
            }
            if (matches && utf8) {
                return;
            }
        }
        throw new ApiException(415, "unsupported_media_type",
                "send the body as Content-Type: " + expected + " (UTF-8)", "Content-Type");
    }

    private static byte[] readBounded(Context ctx, int maxBytes, long declared) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = BodyBytes.readAtMost(in, maxBytes, declared);
            if (body == null) {
                BodyBytes.drain(in, maxBytes);
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw unreadable();
        }
    }

    /**
     * A body that could not be read to its end (the connection dropped, an idle timeout, the server stopping) is a
     * 503 the client retries, never a 400, which would make an SDK discard valid events. Jetty reports a broken
     * chunk the same way as a stream that ended early, so that is a 503 too.
     */
    private static ApiException unreadable() {
        return new ApiException(503, "body_interrupted",
                "the request body was cut short; retry after the Retry-After delay", null, 1);
    }

    private static void requireUtf8(byte[] body) {
        if (!Utf8.isWellFormed(body, body.length)) {
            throw ApiException.badRequest("invalid_utf8", "the request body is not valid UTF-8", null);
        }
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "body_too_large", "the request body is larger than " + maxBytes + " bytes", null);
    }
}
