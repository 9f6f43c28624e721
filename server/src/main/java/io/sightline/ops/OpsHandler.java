package io.sightline.ops;

import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.RouteTable;

import java.util.Map;

/** Liveness, readiness and the Prometheus scrape. */
public final class OpsHandler {
    private final Readiness readiness;
    private final Metrics metrics;

    public OpsHandler(Readiness readiness, Metrics metrics) {
        this.readiness = readiness;
        this.metrics = metrics;
    }

    /** Health probes (open to all) and the Prometheus scrape (metrics or admin token). */
    public void routes(RouteTable routes) {
        routes.get("/health/live", this::live, Access.PUBLIC);
        routes.get("/health/ready", this::ready, Access.PUBLIC);
        routes.get("/metrics", this::metrics, Access.METRICS);
    }

    public void live(Context ctx) {
        ctx.json(Map.of("status", "up"));
    }

    public void ready(Context ctx) {
        Map<String, Boolean> checks = readiness.checks();
        boolean ready = !checks.containsValue(false);
        ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "not_ready", "checks", checks));
    }

    public void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
