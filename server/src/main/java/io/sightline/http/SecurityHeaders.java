package io.sightline.http;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The headers every answer carries, errors and 404s included: the dashboard runs no inline script and loads
 * nothing from elsewhere, so the policy can forbid both, and no page of Sightline may be framed (clickjacking).
 */
final class SecurityHeaders {
    static final Map<String, String> ALL = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
                    + " frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer");

    private SecurityHeaders() {
    }

    static void addTo(BiConsumer<String, String> response) {
        ALL.forEach(response);
    }
}
