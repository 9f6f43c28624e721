package io.sightline.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * One file the dashboard serves, held in memory as read at start: its bytes, its media type, and its gzipped
 * bytes when the type is text and compressing saves something (null otherwise), so no request compresses.
 */
record StaticFile(String contentType, byte[] bytes, byte[] gzipped) {

    static StaticFile of(String contentType, byte[] bytes) {
        byte[] gzipped = contentType.startsWith("text/") || contentType.startsWith("image/svg")
                || contentType.startsWith("application/json") ? gzip(bytes) : null;
        return new StaticFile(contentType, bytes, gzipped != null && gzipped.length < bytes.length ? gzipped : null);
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }
}
