package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Admin routes for apps: create, list, show, rotate the write key. */
public final class AppAdminHandler {
    private static final List<String> CREATE_FIELDS = List.of("name", "retention_days", "time_zone");

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
        routes.post("/api/v1/apps/{app}/write-key", this::rotateWriteKey, Access.ADMIN);
    }

    public void create(Context ctx) throws SQLException {
        JsonNode body = JsonBody.readObject(ctx, mapper, 16 * 1024, CREATE_FIELDS);
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > 200) {
            throw ApiException.badRequest("invalid_value", "name must be a string of 1 to 200 characters", "name");
        }
        int retentionDays = defaultRetentionDays;
        JsonNode retention = body.get("retention_days");
        if (retention != null) {
            if (!retention.canConvertToInt() || !retention.isIntegralNumber()
                    || retention.asInt() < 1 || retention.asInt() > 3650) {
                throw ApiException.badRequest("out_of_range", "retention_days must be a whole number from 1 to 3650",
                        "retention_days");
            }
            retentionDays = retention.asInt();
        }
        String timeZone = "UTC";
        JsonNode zone = body.get("time_zone");
        if (zone != null) {
            try {
                timeZone = ZoneId.of(zone.asText()).getId();
            } catch (DateTimeException e) {
                throw ApiException.badRequest("invalid_value", "time_zone must be an IANA zone such as Europe/Berlin",
                        "time_zone");
            }
        }
        ctx.status(201).json(apps.create(name.asText(), retentionDays, timeZone));
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(Map.of("apps", apps.list()));
    }

    public void show(Context ctx) throws SQLException {
        ctx.json(apps.byId(JsonBody.appId(ctx)).orElseThrow(() -> ApiException.notFound("no app with that id")));
    }

    public void rotateWriteKey(Context ctx) throws SQLException {
        long id = JsonBody.appId(ctx);
        App before = apps.byId(id).orElseThrow(() -> ApiException.notFound("no app with that id"));
        App after = apps.rotateWriteKey(id).orElseThrow(() -> ApiException.notFound("no app with that id"));
        writeKeys.forget(before.writeKey());
        ctx.json(after);
    }

}
