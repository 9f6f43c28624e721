package io.sightline.stats;

import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.io.IOException;
import java.sql.SQLException;

/** {@code GET /api/v1/apps/{app}/events/export?format=csv|ndjson} plus the common stats parameters: a download. */
public final class ExportHandler {
    private final EventExport export;

    public ExportHandler(EventExport export) {
        this.export = export;
    }

    /** The raw event export route: an API token of the app, or an admin token. */
    public void routes(RouteTable routes) {
        routes.get("/api/v1/apps/{app}/events/export", this::export, Access.STATS);
    }

    public void export(Context ctx) throws SQLException, IOException {
        long app = JsonBody.appId(ctx);
        EventExport.Request request = export.parse(app, ctx.queryParamMap());
        String file = "sightline-app-" + app + "-events." + request.format().wireName();
        ctx.contentType(request.format().contentType());
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        export.write(request, ctx.outputStream());
    }
}
