package io.sightline.http;

import io.javalin.security.RouteRole;

/** Who may call a route; declared on each route and checked once, before the handler runs. */
public enum Access implements RouteRole {
    /** Health probes: no credentials. */
    PUBLIC,
    /** Ingestion: an app's write key, in X-Write-Key or as the user of HTTP Basic. */
    WRITE_KEY,
    /** Administration: an admin token as Bearer. A write key is never enough. */
    ADMIN,
    /** Prometheus scrapes: the metrics token (when configured) or an admin token as Bearer. */
    METRICS
}
