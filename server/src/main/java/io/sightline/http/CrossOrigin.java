package io.sightline.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A route that pages of other sites may call from the browser (a tracker script posting from the customer's site):
 * any origin, without credentials, so no cookie of Sightline's ever rides along and {@code *} is allowed. All the
 * route's answers, errors included, carry {@code Access-Control-Allow-Origin}; a route that lets pages send more than
 * a "simple" request (JSON, a header of their own) also answers the browser's preflight ({@code OPTIONS}). Every
 * other route stays same-origin.
 *
 * @param requestHeaders the request headers a page may set beyond the CORS-safelisted ones; none: simple requests only
 * @param maxAge         how long a browser may reuse a preflight's answer (Chromium caps it at two hours)
 */
public record CrossOrigin(List<String> requestHeaders, Duration maxAge) {
    public CrossOrigin {
        requestHeaders = List.copyOf(requestHeaders);
    }

    /** Any site's page may send JSON ({@code Content-Type} is not safelisted for it) and {@code extraHeaders}. */
    public static CrossOrigin anySiteSendsJson(String... extraHeaders) {
        List<String> headers = new ArrayList<>();
        headers.add("Content-Type");
        headers.addAll(List.of(extraHeaders));
        return new CrossOrigin(headers, Duration.ofDays(1));
    }

    /**
     * Only the requests a browser sends without asking (a {@code text/plain} body, no header of the page's own, as
     * {@code navigator.sendBeacon} sends): the route answers no preflight, so a page cannot send it anything else.
     */
    public static CrossOrigin simpleRequestsOnly() {
        return new CrossOrigin(List.of(), Duration.ZERO);
    }

    /** Whether the route answers a preflight: only when pages may send more than simple requests. */
    boolean answersPreflight() {
        return !requestHeaders.isEmpty();
    }

    /** The header every answer of the route carries. */
    void allow(BiConsumer<String, String> response) {
        response.accept("Access-Control-Allow-Origin", "*");
    }

    /** The headers of the answer to a preflight of a route that takes {@code method}. */
    void preflight(String method, BiConsumer<String, String> response) {
        allow(response);
        response.accept("Access-Control-Allow-Methods", method);
        response.accept("Access-Control-Allow-Headers", String.join(", ", requestHeaders));
        response.accept("Access-Control-Max-Age", Long.toString(maxAge.toSeconds()));
    }
}
