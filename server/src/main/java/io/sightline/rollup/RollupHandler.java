package io.sightline.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Admin routes that backfill an app's rollups and show a backfill's progress. */
public final class RollupHandler {
    private static final List<String> BODY_FIELDS = List.of("from", "to");

    private final BackfillService backfills;
    private final ObjectMapper mapper;

    public RollupHandler(BackfillService backfills, ObjectMapper mapper) {
        this.backfills = backfills;
        this.mapper = mapper;
    }

    /** The backfill routes (admin token). */
    public void routes(RouteTable routes) {
        routes.post("/api/v1/apps/{app}/rollups/backfill", this::startBackfill, Access.ADMIN);
        routes.get("/api/v1/apps/{app}/rollups/backfill/{id}", this::backfillStatus, Access.ADMIN);
    }

    /** {@code POST …/rollups/backfill} with {@code {"from":"YYYY-MM-DD","to":"YYYY-MM-DD"}}: 202 and the status. */
    public void startBackfill(Context ctx) throws SQLException {
        long app = JsonBody.appId(ctx);
        JsonNode body = JsonBody.readObject(ctx, mapper, 1024, BODY_FIELDS);
        LocalDate from = date(body, "from");
        LocalDate to = date(body, "to");
        ctx.status(202).json(backfills.start(app, from, to));
    }

    /** {@code GET …/rollups/backfill/{id}}. */
    public void backfillStatus(Context ctx) {
        long app = JsonBody.appId(ctx);
        ctx.json(backfills.status(app, ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("no backfill with that id for this app")));
    }

    private static LocalDate date(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("missing_field", name + " is required (YYYY-MM-DD)", name);
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid_type", name + " must be a string YYYY-MM-DD", name);
        }
        try {
            return LocalDate.parse(value.textValue());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_value", name + " must be a date YYYY-MM-DD", name);
        }
    }
}
