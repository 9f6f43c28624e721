package io.sightline.stats;

import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;

/** {@code GET /api/v1/apps/{app}/stats/funnel?steps=…&window=…&count=…} plus the common stats parameters. */
public final class FunnelHandler {
    private final FunnelService service;

    public FunnelHandler(FunnelService service) {
        this.service = service;
    }

    /** The funnel route: an API token of the app, or an admin token. */
    public void routes(RouteTable routes) {
        routes.get("/api/v1/apps/{app}/stats/funnel", this::funnel, Access.STATS);
    }

    public void funnel(Context ctx) throws SQLException {
        ctx.json(service.funnel(JsonBody.appId(ctx), ctx.queryParamMap()));
    }
}
