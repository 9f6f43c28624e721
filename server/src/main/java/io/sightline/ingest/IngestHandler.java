package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.config.Config;
import io.sightline.http.Access;
import io.sightline.http.Authorizer;
import io.sightline.http.ErrorResponder;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /api/v1/analytics/track} and {@code /batch}. The response is sent when the writer has committed
 * the events, from {@code responses} so that the writer thread never spends time on sockets; no request
 * thread waits meanwhile.
 */
public final class IngestHandler {
    private final IngestService service;
    private final ObjectMapper mapper;
    private final Config.Ingest limits;
    private final Executor responses;
    private final ProtocolAdapter batches;

    public IngestHandler(IngestService service, ObjectMapper mapper, Config.Ingest limits, Executor responses) {
        this.service = service;
        this.mapper = mapper;
        this.limits = limits;
        this.responses = responses;
        this.batches = NativeAdapter.batch(limits.maxBatchEvents());
    }

    /** The ingestion routes: an app's write key sends events. */
    public void routes(RouteTable routes) {
        routes.post("/api/v1/analytics/track", this::track, Access.WRITE_KEY);
        routes.post("/api/v1/analytics/batch", this::batch, Access.WRITE_KEY);
    }

    public void track(Context ctx) {
        JsonNode event = JsonBody.read(ctx, mapper, limits.maxEventBytes());
        CompletableFuture<IngestResult> stored = service.ingest(Authorizer.app(ctx),
                NativeAdapter.TRACK.read(event, origin(ctx)));
        answer(ctx, stored, result -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("accepted", result.accepted());
            body.put("event_id", result.eventIds().get(0));
            body.put("dropped", result.dropped());
            return body;
        }, responses);
    }

    public void batch(Context ctx) {
        JsonNode body = JsonBody.read(ctx, mapper, limits.maxBodyBytes());
        CompletableFuture<IngestResult> stored = service.ingest(Authorizer.app(ctx), batches.read(body, origin(ctx)));
        answer(ctx, stored, IngestHandler::batchAnswer, responses);
    }

    /** A batch's answer: how many were stored, and which were rejected or dropped, by index. */
    static Object batchAnswer(IngestResult result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", result.accepted());
        out.put("rejected", result.rejected());
        out.put("dropped", result.dropped());
        return out;
    }

    /**
     * Answers once {@code stored} completes (after the commit), from {@code responses}: 200 with what {@code render}
     * makes of the result, or the failure in the one error shape. Every ingestion protocol's handler answers so.
     */
    public static <T> void answer(Context ctx, CompletableFuture<T> stored, java.util.function.Function<T, Object> render,
                                  Executor responses) {
        ctx.future(() -> stored.handleAsync((result, failure) -> {
            if (failure != null) {
                ErrorResponder.respond(ctx, failure);
            } else {
                ctx.status(200).json(render.apply(result));
            }
            return null;
        }, responses));
    }

    /** The sender as the transport saw it; shared with the other protocols' handlers. */
    public static Origin origin(Context ctx) {
        return new Origin(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"),
                ctx.header("User-Agent"), ctx.header("DNT"), ctx.header("Sec-GPC"));
    }
}
