package io.sightline.stats;

import io.javalin.http.Context;
import io.sightline.http.JsonBody;

import java.sql.SQLException;

/** {@code GET /api/v1/apps/{app}/stats/funnel?steps=…&window=…&count=…} plus the common stats parameters. */
public final class FunnelHandler {
    private final FunnelService service;

    public FunnelHandler(FunnelService service) {
        this.service = service;
    }

    public void funnel(Context ctx) throws SQLException {
        ctx.json(service.funnel(JsonBody.appId(ctx), ctx.queryParamMap()));
    }
}
