package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin routes over a destination's deliveries that did not go through: list them by status (dead letters keep the
 * platform's own error), and put them back in the queue.
 */
public final class DeliveryHandler {
    /** Whether the app has a destination with that id. */
    public interface Destinations {
        boolean exists(long appId, long destinationId) throws SQLException;
    }

    private static final int MAX_LIMIT = 1000;
    private static final List<String> RETRY_FIELDS = List.of("status");

    private final DeliveryStore deliveries;
    private final Destinations destinations;
    private final ObjectMapper mapper;
    private final Clock clock;

    public DeliveryHandler(DeliveryStore deliveries, Destinations destinations, ObjectMapper mapper, Clock clock) {
        this.deliveries = deliveries;
        this.destinations = destinations;
        this.mapper = mapper;
        this.clock = clock;
    }

    public void routes(RouteTable routes) {
        routes.get("/api/v1/apps/{app}/destinations/{dest}/deliveries", this::list, Access.ADMIN);
        routes.post("/api/v1/apps/{app}/destinations/{dest}/deliveries/retry", this::retry, Access.ADMIN);
    }

    /** {@code ?status=pending|dead|expired|skipped} (default dead) and {@code limit} (1-1000, default 100). */
    public void list(Context ctx) throws SQLException {
        long app = JsonBody.appId(ctx);
        long dest = destination(ctx, app);
        DeliveryStatus status = status(ctx.queryParam("status"), "status");
        int limit = limit(ctx.queryParam("limit"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", status.wireName());
        answer.put("deliveries", deliveries.list(app, dest, status, limit).stream().map(DeliveryHandler::json).toList());
        ctx.json(answer);
    }

    /** Re-queues every delivery of the destination in {@code status} (default dead; pending is refused). */
    public void retry(Context ctx) throws SQLException {
        long app = JsonBody.appId(ctx);
        long dest = destination(ctx, app);
        DeliveryStatus status = DeliveryStatus.DEAD;
        if (ctx.contentLength() != 0) {
            JsonNode body = JsonBody.readObject(ctx, mapper, 1024, RETRY_FIELDS);
            JsonNode s = body.get("status");
            if (s != null) {
                if (!s.isTextual()) {
                    throw ApiException.badRequest("invalid_value", "status must be dead, expired or skipped", "status");
                }
                status = status(s.asText(), "status");
            }
        }
        if (status == DeliveryStatus.PENDING) {
            throw ApiException.badRequest("invalid_value", "pending deliveries are already queued", "status");
        }
        int requeued = deliveries.requeue(app, dest, status, clock.instant());
        ctx.json(Map.of("requeued", requeued));
    }

    private long destination(Context ctx, long app) throws SQLException {
        long dest = JsonBody.pathId(ctx, "dest", "destination");
        if (!destinations.exists(app, dest)) {
            throw ApiException.notFound("this app has no destination with that id");
        }
        return dest;
    }

    private static DeliveryStatus status(String value, String field) {
        if (value == null) {
            return DeliveryStatus.DEAD;
        }
        return DeliveryStatus.fromWire(value).orElseThrow(() -> ApiException.badRequest("invalid_value",
                "status must be one of pending, dead, expired, skipped", field));
    }

    private static int limit(String value) {
        if (value == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("invalid_value", "limit must be a whole number from 1 to " + MAX_LIMIT, "limit");
    }

    private static Map<String, Object> json(DeliveryStore.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", r.eventId().toString());
        m.put("occurred_at", r.occurredAt().toString());
        m.put("status", r.status().wireName());
        m.put("attempts", r.attempts());
        m.put("next_attempt_at", r.nextAttemptAt().toString());
        m.put("queued_at", r.queuedAt().toString());
        m.put("updated_at", r.updatedAt().toString());
        m.put("error", r.lastError());
        return m;
    }
}
