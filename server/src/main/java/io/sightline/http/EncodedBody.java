package io.sightline.http;

import io.javalin.http.Context;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads a JSON body that may come gzipped ({@code Content-Encoding: gzip}, as Segment's and Sightline's SDKs send
 * batches), as its bytes for the caller to parse. Both sizes are bounded: the bytes on the wire, and the bytes the
 * inflater produces, which stops one byte past the limit: a small body that inflates to gigabytes (a gzip bomb)
 * costs at most the limit in memory and is answered 413. Refusals: a content type other than JSON or plain text
 * (415), an encoding other than gzip or identity (415), a body over the limit (413), a corrupt gzip stream, an
 * empty body or bytes that are not UTF-8 (400); a body cut short is a 503 the client retries.
 */
public final class EncodedBody {
    private static final int GZIP_BUFFER = 16 * 1024;

    private EncodedBody() {
    }

    /** The body's bytes, inflated when gzipped; at most {@code maxBytes} either way. */
    public static byte[] read(Context ctx, int maxBytes) {
        requireJsonOrText(ctx.header("Content-Type"));
        boolean gzip = gzipped(ctx.header("Content-Encoding"));
        long declared = ctx.req().getContentLengthLong();
        byte[] wire;
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > maxBytes) {
                BodyBytes.drain(in, maxBytes);
                throw tooLarge(maxBytes);
            }
            wire = BodyBytes.readAtMost(in, maxBytes, declared);
        } catch (IOException e) {
            throw new ApiException(503, "body_interrupted",
                    "the request body was cut short; retry after the Retry-After delay", null, 1);
        }
        if (wire == null) {
            throw tooLarge(maxBytes);
        }
        byte[] body = gzip ? inflate(wire, maxBytes) : wire;
        if (body.length == 0) {
            throw ApiException.badRequest("empty_body", "the request body is empty; send a JSON object", null);
        }
        if (!Utf8.isWellFormed(body, body.length)) {
            throw ApiException.badRequest("invalid_utf8", "the request body is not valid UTF-8", null);
        }
        return body;
    }

    private static byte[] inflate(byte[] wire, int maxBytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire), GZIP_BUFFER)) {
            // JSON usually inflates 5-10 times; the buffer starts there and doubles past it.
            byte[] body = BodyBytes.readAtMost(in, maxBytes, 8L * wire.length);
            if (body == null) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            // ZipException for a corrupt stream, EOFException for a truncated one: either way the client's bytes.
            throw ApiException.badRequest("malformed_gzip", "the request body is not a valid gzip stream", null);
        }
    }

    private static boolean gzipped(String encoding) {
        if (encoding == null || encoding.isBlank()) {
            return false;
        }
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        if (e.equals("gzip") || e.equals("x-gzip")) {
            return true;
        }
        if (e.equals("identity")) {
            return false;
        }
        throw new ApiException(415, "unsupported_encoding", "send the body uncompressed or as Content-Encoding: gzip",
                "Content-Encoding");
    }

    /** JSON, or plain text as browsers' beacons send JSON to avoid a CORS preflight; UTF-8 either way. */
    private static void requireJsonOrText(String contentType) {
        if (contentType != null) {
            String[] parts = contentType.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean utf8 = true;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
                if (param.startsWith("charset=") && !param.equals("charset=utf-8")) {
                    utf8 = false;
                }
            }
            if ((type.equals("application/json") || type.equals("text/plain")) && utf8) {
                return;
            }
        }
        throw new ApiException(415, "unsupported_media_type",
                "send the body as Content-Type: application/json (UTF-8)", "Content-Type");
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "body_too_large", "the request body is larger than " + maxBytes
                + " bytes, inflated", null);
    }
}
