package io.sightline.stats;

import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;

/** {@code GET /api/v1/apps/{app}/stats/events?limit=…} plus the common stats parameters: the latest events. */
public final class LatestEventsHandler {
    private final LatestEvents service;

    public LatestEventsHandler(LatestEvents service) {
        this.service = service;
    }

    /** The latest-events route: an API token of the app, or an admin token. */
    public void routes(RouteTable routes) {
        routes.get("/api/v1/apps/{app}/stats/events", this::latest, Access.STATS);
    }

    public void latest(Context ctx) throws SQLException {
        ctx.json(service.latest(JsonBody.appId(ctx), ctx.queryParamMap()));
    }
}
