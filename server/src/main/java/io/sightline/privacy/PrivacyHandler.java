package io.sightline.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.Actor;
import io.sightline.http.ApiException;
import io.sightline.http.Authorizer;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Admin routes for GDPR requests about one visitor_id or user_id: export, delete, and the audit of both. */
public final class PrivacyHandler {
    private static final List<String> BODY_FIELDS = List.of("visitor_id", "user_id");

    private final PrivacyService service;
    private final ObjectMapper mapper;

    public PrivacyHandler(PrivacyService service, ObjectMapper mapper) {
        this.service = service;
        this.mapper = mapper;
    }

    /** The privacy request routes (admin token). */
    public void routes(RouteTable routes) {
        routes.get("/api/v1/apps/{app}/privacy/export", this::export, Access.ADMIN);
        routes.post("/api/v1/apps/{app}/privacy/delete", this::delete, Access.ADMIN);
        routes.get("/api/v1/apps/{app}/privacy/requests", this::requests, Access.ADMIN);
    }

    /** {@code GET …/privacy/export?visitor_id=…} or {@code ?user_id=…}: NDJSON, one event per line. */
    public void export(Context ctx) throws SQLException, IOException {
        long app = JsonBody.appId(ctx);
        Subject subject = Subject.of(queryParam(ctx, "visitor_id"), queryParam(ctx, "user_id"));
        ctx.contentType("application/x-ndjson");
        Actor actor = Authorizer.actor(ctx);
        service.export(app, subject, actor.kind(), actor.id(), ctx.outputStream());
    }

    /** {@code POST …/privacy/delete} with {@code {"visitor_id": …}} or {@code {"user_id": …}}. */
    public void delete(Context ctx) throws SQLException {
        long app = JsonBody.appId(ctx);
        JsonNode body = JsonBody.readObject(ctx, mapper, 4 * 1024, BODY_FIELDS);
        Subject subject = Subject.of(text(body, "visitor_id"), text(body, "user_id"));
        Actor actor = Authorizer.actor(ctx);
        ctx.json(service.delete(app, subject, actor.kind(), actor.id()));
    }

    /** {@code GET …/privacy/requests}: the latest 100, newest first. */
    public void requests(Context ctx) throws SQLException {
        ctx.json(Map.of("requests", service.requests(JsonBody.appId(ctx))));
    }

    private static String queryParam(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.badRequest("invalid_value", name + " must be given once", name);
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** A string member, or null when absent or JSON null. */
    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid_type", name + " must be a string", name);
        }
        return value.textValue();
    }

}
