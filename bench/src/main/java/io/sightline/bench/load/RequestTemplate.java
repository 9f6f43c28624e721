package io.sightline.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parts of a request that stay the same from one request to the next. {@code Host} and
 * {@code Content-Length} are added when it is encoded; connections are always kept alive.
 */
public record RequestTemplate(String method, String path, Map<String, String> headers, String body) {
    private static final Set<String> RESERVED_HEADERS =
            Set.of("host", "content-length", "transfer-encoding", "connection", "expect");

    public RequestTemplate {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        if (!method.matches("[A-Z]+")) {
            throw new IllegalArgumentException("method must be upper-case letters, was '" + method + "'");
        }
        if ("HEAD".equals(method)) {
            throw new IllegalArgumentException("HEAD is not supported: its responses announce a body they do not send");
        }
        if (!path.startsWith("/") || !printableAscii(path) || path.contains(" ")) {
            throw new IllegalArgumentException("path must start with '/' and be printable ASCII without spaces, was '" + path + "'");
        }
        headers.forEach((name, value) -> {
            if (!name.matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("header name '" + name + "' is not a token");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header '" + name + "' is set by the generator");
            }
            if (!printableAscii(value)) {
                throw new IllegalArgumentException("header '" + name + "' must be printable ASCII");
            }
        });
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static RequestTemplate postJson(String path, Map<String, String> headers, String body) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        return new RequestTemplate("POST", path, all, body);
    }

    /** The request line and headers, blank line included, for a body of {@code contentLength} bytes. */
    byte[] head(LoadTarget target, int contentLength) {
        StringBuilder head = new StringBuilder(128)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.hostHeader()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (contentLength > 0 || !"GET".equals(method)) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean printableAscii(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
