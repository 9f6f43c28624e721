package io.sightline.destinations;

import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;

/** {@code GET /api/v1/apps/{app}/destinations/health?days=7}: how forwarding to each destination of the app goes. */
public final class DeliveryHealthHandler {
    private static final int DEFAULT_DAYS = 7;

    private final DeliveryHealth health;

    public DeliveryHealthHandler(DeliveryHealth health) {
        this.health = health;
    }

    /** Declared before {@code destinations/{dest}}: routes match in the order they are declared. */
    public void routes(RouteTable routes) {
        routes.get("/api/v1/apps/{app}/destinations/health", this::health, Access.ADMIN);
    }

    public void health(Context ctx) throws SQLException {
        ctx.json(health.health(JsonBody.appId(ctx), days(ctx.queryParam("days"))));
    }

    private static int days(String value) {
        if (value == null) {
            return DEFAULT_DAYS;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_value",
                    "days must be a whole number from 1 to " + DeliveryHealth.MAX_DAYS, "days");
        }
    }
}
