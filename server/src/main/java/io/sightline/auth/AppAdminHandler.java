package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.error.NotFound;
import io.sightline.event.EventType;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Admin routes for apps: create, list, show, change the settings, rotate the write key. */
public final class AppAdminHandler {
    private static final List<String> CREATE_FIELDS = List.of("name", "retention_days", "time_zone");
    private static final List<String> UPDATE_FIELDS = List.of("name", "retention_days", "time_zone",
            "umami_website_id", "event_types");
    private static final int MAX_EVENT_TYPES = 100;
    /**
     * What a client event name may be mapped to: the five AR types (custom is what an unmapped name becomes; a view
     * is a protocol's own message, such as Segment's screen and page, never a mapped name).
     */
    private static final List<String> AR_TYPES = java.util.Arrays.stream(EventType.values())
            .filter(t -> t != EventType.CUSTOM && t != EventType.SCREEN_VIEW).map(EventType::wireName).toList();

    private final AppStore apps;
    private final WriteKeyAuthenticator writeKeys;
    private final ObjectMapper mapper;
    private final int defaultRetentionDays;

    /** {@code defaultRetentionDays}: an app's retention when its request names none (SIGHTLINE_RETENTION_DAYS). */
    public AppAdminHandler(AppStore apps, WriteKeyAuthenticator writeKeys, ObjectMapper mapper, int defaultRetentionDays) {
        this.apps = apps;
        this.writeKeys = writeKeys;
        this.mapper = mapper;
        this.defaultRetentionDays = defaultRetentionDays;
    }

    /** The app administration routes (admin token). */
    public void routes(RouteTable routes) {
        routes.get("/api/v1/apps", this::list, Access.ADMIN);
        routes.post("/api/v1/apps", this::create, Access.ADMIN);
        routes.get("/api/v1/apps/{app}", this::show, Access.ADMIN);
        routes.patch("/api/v1/apps/{app}", this::update, Access.ADMIN);
        routes.post("/api/v1/apps/{app}/write-key", this::rotateWriteKey, Access.ADMIN);
    }

    public void create(Context ctx) throws SQLException {
        JsonNode body = JsonBody.readObject(ctx, mapper, 16 * 1024, CREATE_FIELDS);
        String name = JsonBody.text(body, "name", 200);
        Integer retention = retentionDays(body);
        String zone = timeZone(body);
        ctx.status(201).json(apps.create(name, retention == null ? defaultRetentionDays : retention,
                zone == null ? "UTC" : zone));
    }

    /**
     * Changes what the body gives of {@code name}, {@code time_zone}, {@code retention_days}, {@code umami_website_id}
     * (a UUID, or null to remove it) and {@code event_types} (client event name to one of the five types).
     */
    public void update(Context ctx) throws SQLException {
        long id = JsonBody.appId(ctx);
        JsonNode body = JsonBody.readObject(ctx, mapper, 16 * 1024, UPDATE_FIELDS);
        String name = body.has("name") ? JsonBody.text(body, "name", 200) : null;
        JsonNode website = body.get("umami_website_id");
        UUID websiteId = null;
        if (website != null && !website.isNull()) {
            try {
                websiteId = UUID.fromString(website.isTextual() ? website.asText() : "");
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_value", "umami_website_id must be a UUID or null",
                        "umami_website_id");
            }
        }
        AppStore.Change change = new AppStore.Change(name, timeZone(body), retentionDays(body), websiteId,
                website != null && website.isNull(), eventTypes(body.get("event_types")));
        ctx.json(apps.update(id, change).orElseThrow(NotFound::app));
    }

    private static Integer retentionDays(JsonNode body) {
        JsonNode retention = body.get("retention_days");
        if (retention == null) {
            return null;
        }
        if (!retention.canConvertToInt() || !retention.isIntegralNumber()
                || retention.asInt() < 1 || retention.asInt() > 3650) {
            throw ApiException.badRequest("out_of_range", "retention_days must be a whole number from 1 to 3650",
                    "retention_days");
        }
        return retention.asInt();
    }

    private static String timeZone(JsonNode body) {
        JsonNode zone = body.get("time_zone");
        if (zone == null) {
            return null;
        }
        try {
            return ZoneId.of(zone.asText()).getId();
        } catch (DateTimeException e) {
            throw ApiException.badRequest("invalid_value", "time_zone must be an IANA zone such as Europe/Berlin",
                    "time_zone");
        }
    }

    /** {@code {"Product Placed": "placement"}}: at most 100 names of 1-100 characters, each to one of the five types. */
    private static Map<String, String> eventTypes(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (!value.isObject() || value.size() > MAX_EVENT_TYPES) {
            throw ApiException.badRequest("invalid_value", "event_types must be an object of at most "
                    + MAX_EVENT_TYPES + " event names, each to one of " + AR_TYPES, "event_types");
        }
        Map<String, String> types = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String field = "event_types." + e.getKey();
            if (e.getKey().isBlank() || e.getKey().length() > 100) {
                throw ApiException.badRequest("invalid_value", "an event name is 1 to 100 characters", "event_types");
            }
            if (!e.getValue().isTextual() || !AR_TYPES.contains(e.getValue().asText())) {
                throw ApiException.badRequest("invalid_value", "each event name maps to one of " + AR_TYPES, field);
            }
            types.put(e.getKey(), e.getValue().asText());
        }
        return types;
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(Map.of("apps", apps.list()));
    }

    public void show(Context ctx) throws SQLException {
        ctx.json(apps.byId(JsonBody.appId(ctx)).orElseThrow(NotFound::app));
    }

    public void rotateWriteKey(Context ctx) throws SQLException {
        long id = JsonBody.appId(ctx);
        App before = apps.byId(id).orElseThrow(NotFound::app);
        App after = apps.rotateWriteKey(id).orElseThrow(NotFound::app);
        writeKeys.forget(before.writeKey());
        ctx.json(after);
    }

}
