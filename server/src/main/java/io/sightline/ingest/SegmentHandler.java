package io.sightline.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.auth.App;
import io.sightline.http.Access;
import io.sightline.http.Authorizer;
import io.sightline.http.EncodedBody;
import io.sightline.http.RouteTable;
import io.sightline.http.WriteKeyLookup;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Segment's HTTP Tracking API: {@code POST /v1/track}, {@code /v1/screen}, {@code /v1/page}, {@code /v1/identify},
 * {@code /v1/group}, {@code /v1/alias} (one message each, at most 32 KiB) and {@code /v1/batch}, {@code /v1/import}
 * (where analytics-java posts), {@code /v1/b} (where analytics-swift and analytics-kotlin post), at most 500 KiB. Bodies may be gzipped; the limits apply to the inflated
 * bytes. The answer is Segment's {@code {"success": true}}, sent after the commit, from {@code responses}.
 *
 * <p>The write key comes as on the native routes (HTTP Basic user, {@code X-Write-Key}), checked before the body
 * is read; or, as Segment's server libraries send it, in the body's {@code writeKey}, checked once it is read.
 */
public final class SegmentHandler {
    /** Segment's limit per message, and so per single-message request. */
    static final int MAX_MESSAGE_BYTES = SegmentTranslator.MAX_MESSAGE_BYTES;
    /** Segment's limit per batch request. */
    static final int MAX_BATCH_BYTES = 500 * 1024;
    private static final Map<String, Boolean> SUCCESS = Map.of("success", true);

    private final SegmentService service;
    private final WriteKeyLookup<App> writeKeys;
    private final ObjectMapper mapper;
    private final Executor responses;

    public SegmentHandler(SegmentService service, WriteKeyLookup<App> writeKeys, ObjectMapper mapper,
                          Executor responses) {
        this.service = service;
        this.writeKeys = writeKeys;
        this.mapper = mapper;
        this.responses = responses;
    }

    public void routes(RouteTable routes) {
        for (String type : new String[] {"track", "screen", "page", "identify", "group", "alias"}) {
            routes.post("/v1/" + type, ctx -> single(ctx, type), Access.WRITE_KEY_OR_BODY);
        }
        routes.post("/v1/batch", this::batch, Access.WRITE_KEY_OR_BODY);
        routes.post("/v1/import", this::batch, Access.WRITE_KEY_OR_BODY);
        // Segment's mobile SDKs (analytics-swift, analytics-kotlin) post their batches to "<apiHost>/b".
        routes.post("/v1/b", this::batch, Access.WRITE_KEY_OR_BODY);
    }

    private void single(Context ctx, String type) throws SQLException {
        SegmentRequest request = SegmentRequest.single(EncodedBody.read(ctx, MAX_MESSAGE_BYTES), mapper);
        IngestHandler.answer(ctx, service.accept(app(ctx, request), type, request, IngestHandler.origin(ctx)),
                outcome -> SUCCESS, responses);
    }

    private void batch(Context ctx) throws SQLException {
        SegmentRequest request = SegmentRequest.batch(EncodedBody.read(ctx, MAX_BATCH_BYTES), mapper);
        IngestHandler.answer(ctx, service.accept(app(ctx, request), null, request, IngestHandler.origin(ctx)),
                outcome -> SUCCESS, responses);
    }

    /** The app of the header's key (checked by the Authorizer already), else of the body's {@code writeKey}. */
    private App app(Context ctx, SegmentRequest request) throws SQLException {
        App app = Authorizer.app(ctx);
        if (app != null) {
            return app;
        }
        if (request.writeKey() == null || request.writeKey().isBlank()) {
            throw SegmentRejection.missingWriteKey();
        }
        return writeKeys.authenticate(request.writeKey().trim()).orElseThrow(SegmentRejection::invalidWriteKey);
    }
}
