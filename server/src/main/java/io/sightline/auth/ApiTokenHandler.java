package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.error.NotFound;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.Authorizer;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Admin routes for an app's read-only API tokens: create (the secret is shown once), list, revoke. */
public final class ApiTokenHandler {
    private static final List<String> CREATE_FIELDS = List.of("label");

    private final ApiTokenStore tokens;
    private final AppStore apps;
    private final ObjectMapper mapper;

    public ApiTokenHandler(ApiTokenStore tokens, AppStore apps, ObjectMapper mapper) {
        this.tokens = tokens;
        this.apps = apps;
        this.mapper = mapper;
    }

    /** The routes that manage an app's read-only API tokens (admin token). */
    public void routes(RouteTable routes) {
        routes.post("/api/v1/apps/{app}/api-tokens", this::create, Access.ADMIN);
        routes.get("/api/v1/apps/{app}/api-tokens", this::list, Access.ADMIN);
        routes.delete("/api/v1/apps/{app}/api-tokens/{id}", this::revoke, Access.ADMIN);
    }

    public void create(Context ctx) throws SQLException {
        long app = existingApp(ctx);
        JsonNode body = JsonBody.readObject(ctx, mapper, 4 * 1024, CREATE_FIELDS);
        String label = JsonBody.text(body, "label", 200);
        ApiTokenStore.Created created = tokens.create(app, label, Authorizer.actor(ctx));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", created.token().id());
        answer.put("app_id", created.token().appId());
        answer.put("label", created.token().label());
        answer.put("created_at", created.token().createdAt());
        answer.put("token", created.secret());
        ctx.status(201).json(answer);
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(Map.of("api_tokens", tokens.list(existingApp(ctx))));
    }

    public void revoke(Context ctx) throws SQLException {
        long app = existingApp(ctx);
        long id = JsonBody.pathId(ctx, "id", "token");
        if (!tokens.revoke(app, id)) {
            throw ApiException.notFound("this app has no API token with that id");
        }
        ctx.status(204);
    }

    private long existingApp(Context ctx) throws SQLException {
        return apps.byId(JsonBody.appId(ctx)).orElseThrow(NotFound::app).id();
    }
}
