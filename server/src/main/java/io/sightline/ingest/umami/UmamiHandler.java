package io.sightline.ingest.umami;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.config.Config;
import io.sightline.http.Access;
import io.sightline.http.CrossOrigin;
import io.sightline.http.ErrorBody;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;
import io.sightline.ingest.IngestHandler;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Umami's collection routes, {@code POST /api/send} and {@code /api/batch}, so that Umami's tracker script and its
 * server clients send to Sightline unchanged. No write key: the payload's website id names the app, as in Umami.
 * Browsers post from the customer's pages, so both routes allow any origin (without credentials) and answer the
 * preflight for the headers the tracker sets. Answers are Umami's shapes; errors are Sightline's one error shape,
 * whose {@code error.code} and {@code error.message} Umami's own errors have too.
 */
public final class UmamiHandler {
    /** The tracker sets these two: JSON is not a CORS-safelisted type, and the header returns the cache token. */
    private static final CrossOrigin TRACKERS = CrossOrigin.anySiteSendsJson("x-umami-cache");

    private final UmamiService service;
    private final ObjectMapper mapper;
    private final Config.Ingest limits;
    private final Executor responses;

    /** {@code responses}: where answers are written once the events are durable (the native routes' executor). */
    public UmamiHandler(UmamiService service, ObjectMapper mapper, Config.Ingest limits, Executor responses) {
        this.service = service;
        this.mapper = mapper;
        this.limits = limits;
        this.responses = responses;
    }

    public void routes(RouteTable routes) {
        routes.post("/api/send", this::send, Access.PUBLIC, TRACKERS);
        routes.post("/api/batch", this::batch, Access.PUBLIC, TRACKERS);
    }

    /** One message, under the native limit of one event. Answers {@code {"cache": "<token>"}}. */
    public void send(Context ctx) throws SQLException {
        JsonNode body = JsonBody.read(ctx, mapper, limits.maxEventBytes());
        IngestHandler.answer(ctx, service.send(body, IngestHandler.origin(ctx)), cache -> Map.of("cache", cache),
                responses);
    }

    /**
     * Messages under the native batch limits. Answers as Umami: {@code size}, {@code processed}, {@code errors}
     * (a count), {@code details} ({@code index} and the error {@code response} of each refused message) and
     * {@code cache}.
     */
    public void batch(Context ctx) throws SQLException {
        JsonNode body = JsonBody.read(ctx, mapper, limits.maxBodyBytes());
        IngestHandler.answer(ctx, service.batch(body, IngestHandler.origin(ctx), limits.maxBatchEvents()), result -> {
            List<Map<String, Object>> details = new ArrayList<>();
            for (UmamiService.ItemError e : result.errors()) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("index", e.index());
                detail.put("response", ErrorBody.of(e.code(), e.message(), e.field()));
                details.add(detail);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("size", result.size());
            out.put("processed", result.size() - result.errors().size());
            out.put("errors", result.errors().size());
            out.put("details", details);
            out.put("cache", result.cache());
            return out;
        }, responses);
    }
}
