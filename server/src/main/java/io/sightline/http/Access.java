package io.sightline.http;

import io.javalin.security.RouteRole;

/** Who may call a route; declared on each route and checked once, before the handler runs. */
public enum Access implements RouteRole {
    /** Health probes: no credentials. */
    PUBLIC,
    /** Ingestion: an app's write key, in X-Write-Key or as the user of HTTP Basic. */
    WRITE_KEY,
    /**
     * Ingestion by Segment's clients: the write key as for {@link #WRITE_KEY}, checked here; or, when no header
     * carries one, in the body's {@code writeKey} (as Segment's server libraries send it), which the handler checks.
     */
    WRITE_KEY_OR_BODY,
    /**
     * Administration: an admin token as Bearer, or the session cookie of an admin user (with its CSRF token on
     * anything but GET and HEAD). A write key is never enough.
     */
    ADMIN,
    /**
     * Stats (read-only): an API token of the app named in the path, or an admin token, as Bearer; a user session
     * that may read the app; a share token of the app (GET under the app's {@code stats/} only). A write key,
     * another app's token or a revoked one is refused.
     */
    STATS,
    /** Who is signed in: any live dashboard session (cookie) or share token. */
    SESSION,
    /** Prometheus scrapes: the metrics token (when configured) or an admin token as Bearer. */
    METRICS
}
