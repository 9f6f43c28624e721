package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin routes for an app's destinations. Answers show everything but the credentials: {@code secrets_set} names
 * the ones that are set.
 */
public final class DestinationHandler {
    /** Credentials run to a few KiB (a Google refresh token, an X token pair); 64 KiB leaves room and bounds it. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final DestinationService destinations;
    private final ObjectMapper mapper;

    public DestinationHandler(DestinationService destinations, ObjectMapper mapper) {
        this.destinations = destinations;
        this.mapper = mapper;
    }

    /** The destination routes (admin token). */
    public void routes(RouteTable routes) {
        routes.post("/api/v1/apps/{app}/destinations", this::create, Access.ADMIN);
        routes.get("/api/v1/apps/{app}/destinations", this::list, Access.ADMIN);
        routes.get("/api/v1/apps/{app}/destinations/{dest}", this::show, Access.ADMIN);
        routes.patch("/api/v1/apps/{app}/destinations/{dest}", this::update, Access.ADMIN);
        routes.delete("/api/v1/apps/{app}/destinations/{dest}", this::delete, Access.ADMIN);
    }

    public void create(Context ctx) throws SQLException {
        long app = JsonBody.appId(ctx);
        JsonNode body = JsonBody.readObject(ctx, mapper, MAX_BODY_BYTES, DestinationRequest.FIELDS);
        ctx.status(201).json(answer(destinations.create(app, body)));
    }

    public void list(Context ctx) throws SQLException {
        List<Map<String, Object>> all = new ArrayList<>();
        destinations.list(JsonBody.appId(ctx)).forEach(d -> all.add(answer(d)));
        ctx.json(Map.of("destinations", all));
    }

    public void show(Context ctx) throws SQLException {
        ctx.json(answer(destinations.get(JsonBody.appId(ctx), destinationId(ctx))));
    }

    public void update(Context ctx) throws SQLException {
        long app = JsonBody.appId(ctx);
        long id = destinationId(ctx);
        JsonNode body = JsonBody.readObject(ctx, mapper, MAX_BODY_BYTES, DestinationRequest.FIELDS);
        ctx.json(answer(destinations.update(app, id, body)));
    }

    public void delete(Context ctx) throws SQLException {
        destinations.delete(JsonBody.appId(ctx), destinationId(ctx));
        ctx.status(204);
    }

    private static long destinationId(Context ctx) {
        return JsonBody.pathId(ctx, "dest", "destination");
    }

    private static Map<String, Object> answer(Destination d) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", d.id());
        answer.put("app_id", d.appId());
        answer.put("type", d.type().wireName());
        answer.put("name", d.name());
        answer.put("enabled", d.enabled());
        answer.put("send_client_data", d.sendClientData());
        answer.put("config", new java.util.TreeMap<>(d.values()));
        answer.put("secrets_set", d.secretNames());
        List<Map<String, Object>> events = new ArrayList<>();
        for (EventRule rule : d.rules()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("match", rule.match());
            one.put("name", rule.name());
            events.add(one);
        }
        answer.put("events", events);
        answer.put("created_at", d.createdAt());
        answer.put("updated_at", d.updatedAt());
        return answer;
    }
}
