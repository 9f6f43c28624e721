package io.sightline.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPOutputStream;

/**
 * Posts a batch to {@code /api/v1/analytics/batch} with {@link HttpURLConnection}, the one HTTP client that the
 * JVM and Android both have (on Android it is OkHttp inside).
 */
final class HttpTransport {
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** What came back: a status (-1 when no answer came), the body, Retry-After in milliseconds (0 if none). */
    static final class Answer {
        final int status;
        final String body;
        final long retryAfterMillis;
        final IOException failure;

        Answer(int status, String body, long retryAfterMillis, IOException failure) {
            this.status = status;
            this.body = body;
            this.retryAfterMillis = retryAfterMillis;
            this.failure = failure;
        }
    }

    private final URL url;
    private final String writeKey;
    private final String userAgent;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    HttpTransport(SightlineBuilder settings) throws IOException {
        String base = settings.baseUri.toString();
        this.url = new URL((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/analytics/batch");
        this.writeKey = settings.writeKey;
        this.userAgent = settings.userAgent;
        this.connectTimeoutMillis = settings.connectTimeoutMillis;
        this.readTimeoutMillis = settings.readTimeoutMillis;
    }

    Answer post(byte[] json, boolean gzip) {
        HttpURLConnection c = null;
        try {
            byte[] body = gzip ? gzip(json) : json;
            c = (HttpURLConnection) url.openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setUseCaches(false);
            c.setConnectTimeout(connectTimeoutMillis);
            c.setReadTimeout(readTimeoutMillis);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("X-Write-Key", writeKey);
            if (userAgent != null) {
                c.setRequestProperty("User-Agent", userAgent);
            }
            if (gzip) {
                c.setRequestProperty("Content-Encoding", "gzip");
            }
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            String answer = read(status >= 400 ? c.getErrorStream() : c.getInputStream());
            return new Answer(status, answer, retryAfter(c.getHeaderField("Retry-After")), null);
        } catch (IOException e) {
            if (c != null) {
                c.disconnect(); // a broken connection must not go back to the pool
            }
            return new Answer(-1, "", 0, e);
        }
    }

    private static byte[] gzip(byte[] json) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(json);
        }
        return bytes.toByteArray();
    }

    /** Reads the answer to its end (so the connection can be reused), keeping at most 64 KiB of it. */
    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (InputStream stream = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = stream.read(buf)) >= 0) {
                if (out.size() < MAX_ANSWER_BYTES) {
                    out.write(buf, 0, Math.min(n, MAX_ANSWER_BYTES - out.size()));
                }
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        }
    }

    /** Retry-After in seconds or as an HTTP date; 0 when absent or unreadable. */
    static long retryAfter(String header) {
        if (header == null || header.trim().isEmpty()) {
            return 0;
        }
        String value = header.trim();
        try {
            return Math.max(0, Long.parseLong(value)) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.max(0, at - System.currentTimeMillis());
            } catch (RuntimeException notADate) {
                return 0;
            }
        }
    }
}
