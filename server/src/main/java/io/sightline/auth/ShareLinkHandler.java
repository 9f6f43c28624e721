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

/** Admin routes for an app's share links: create (the token is shown once), list, revoke. */
public final class ShareLinkHandler {
    private static final List<String> CREATE_FIELDS = List.of("label");

    private final ShareLinkStore links;
    private final AppStore apps;
    private final ObjectMapper mapper;

    public ShareLinkHandler(ShareLinkStore links, AppStore apps, ObjectMapper mapper) {
        this.links = links;
        this.apps = apps;
        this.mapper = mapper;
    }

    public void routes(RouteTable routes) {
        routes.get("/api/v1/apps/{app}/share-links", this::list, Access.ADMIN);
        routes.post("/api/v1/apps/{app}/share-links", this::create, Access.ADMIN);
        routes.delete("/api/v1/apps/{app}/share-links/{id}", this::revoke, Access.ADMIN);
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(Map.of("share_links", links.list(existingApp(ctx))));
    }

    public void create(Context ctx) throws SQLException {
        long app = existingApp(ctx);
        JsonNode body = JsonBody.readObject(ctx, mapper, 4 * 1024, CREATE_FIELDS);
        String label = JsonBody.text(body, "label", 200);
        ShareLinkStore.Created created = links.create(app, label, Authorizer.actor(ctx));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", created.link().id());
        answer.put("label", created.link().label());
        answer.put("created_at", created.link().createdAt());
        answer.put("token", created.token());
        answer.put("path", "/share/" + created.token());
        ctx.status(201).json(answer);
    }

    public void revoke(Context ctx) throws SQLException {
        long app = existingApp(ctx);
        long id = JsonBody.pathId(ctx, "id", "share link");
        if (!links.revoke(app, id)) {
            throw ApiException.notFound("this app has no share link with that id");
        }
        ctx.status(204);
    }

    private long existingApp(Context ctx) throws SQLException {
        return apps.byId(JsonBody.appId(ctx)).orElseThrow(NotFound::app).id();
    }
}
