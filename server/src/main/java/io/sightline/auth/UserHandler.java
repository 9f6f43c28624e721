package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Admin routes for dashboard users: list, create (with a one-time password link), change, reset, delete. */
public final class UserHandler {
    private static final List<String> CREATE_FIELDS = List.of("email", "role", "app_ids");
    private static final List<String> UPDATE_FIELDS = List.of("role", "app_ids");
    private static final int MAX_BODY = 16 * 1024;
    private static final int MAX_APPS = 1000;

    private final UserService users;
    private final ObjectMapper mapper;

    public UserHandler(UserService users, ObjectMapper mapper) {
        this.users = users;
        this.mapper = mapper;
    }

    public void routes(RouteTable routes) {
        routes.get("/api/v1/users", this::list, Access.ADMIN);
        routes.post("/api/v1/users", this::create, Access.ADMIN);
        routes.patch("/api/v1/users/{id}", this::update, Access.ADMIN);
        routes.delete("/api/v1/users/{id}", this::delete, Access.ADMIN);
        routes.post("/api/v1/users/{id}/password-link", this::resetLink, Access.ADMIN);
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(Map.of("users", users.list()));
    }

    public void create(Context ctx) throws SQLException {
        JsonNode body = JsonBody.readObject(ctx, mapper, MAX_BODY, CREATE_FIELDS);
        JsonNode email = body.get("email");
        if (email == null || !email.isTextual()) {
            throw ApiException.badRequest("invalid_value", "email must be a string", "email");
        }
        Set<Long> appIds = body.has("app_ids") ? appIds(body.get("app_ids")) : Set.of();
        UserService.WithLink created = users.create(email.textValue(), role(body.get("role"), true), appIds);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user", created.user());
        answer.put("password_link", created.passwordLink());
        ctx.status(201).json(answer);
    }

    public void update(Context ctx) throws SQLException {
        JsonNode body = JsonBody.readObject(ctx, mapper, MAX_BODY, UPDATE_FIELDS);
        Set<Long> appIds = body.has("app_ids") ? appIds(body.get("app_ids")) : null;
        ctx.json(users.update(id(ctx), role(body.get("role"), false), appIds));
    }

    public void resetLink(Context ctx) throws SQLException {
        ctx.json(Map.of("password_link", users.resetLink(id(ctx))));
    }

    public void delete(Context ctx) throws SQLException {
        users.delete(id(ctx));
        ctx.status(204);
    }

    private static String role(JsonNode role, boolean required) {
        if (role == null && !required) {
            return null;
        }
        if (role == null || !role.isTextual()) {
            throw ApiException.badRequest("invalid_value", "role must be admin or viewer", "role");
        }
        return role.textValue();
    }

    private static Set<Long> appIds(JsonNode ids) {
        if (!ids.isArray() || ids.size() > MAX_APPS) {
            throw ApiException.badRequest("invalid_value", "app_ids must be an array of app ids", "app_ids");
        }
        List<Long> values = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 1) {
                throw ApiException.badRequest("invalid_value", "app_ids must be an array of app ids", "app_ids");
            }
            values.add(id.asLong());
        }
        return new LinkedHashSet<>(values);
    }

    private static long id(Context ctx) {
        return JsonBody.pathId(ctx, "id", "user");
    }
}
