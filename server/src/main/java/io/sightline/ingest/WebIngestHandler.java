package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.sightline.auth.App;
import io.sightline.config.Config;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.CrossOrigin;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;
import io.sightline.http.WriteKeyLookup;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /api/v1/analytics/web}: the web tracker's batches, posted from the customer's pages to Sightline,
 * another origin. A browser sends such a request without asking first (a preflight) only when it is "simple": no
 * header of its own and a {@code text/plain} body; {@code navigator.sendBeacon}, the one request a closing page
 * still delivers, cannot set a header at all. So the write key travels in the body,
 * {@code {"write_key": "wk_…", "events": [...]}}, sent as {@code text/plain}; the rest is the native batch, through
 * the same adapter, pipeline and sink. A write key is public by design (it is in every page's source), so it is no
 * weaker here than in a header.
 *
 * <p>CORS: this route alone answers any origin ({@code Access-Control-Allow-Origin: *}), on errors too, and allows
 * no credentials; it reads no cookie. It answers no preflight: the tracker never needs one, so a page cannot use
 * this route to send other types or headers.
 */
public final class WebIngestHandler {
    public static final String PATH = "/api/v1/analytics/web";

    private final IngestService service;
    private final ObjectMapper mapper;
    private final Config.Ingest limits;
    private final Executor responses;
    private final WriteKeyLookup<App> writeKeys;
    private final ProtocolAdapter batches;

    public WebIngestHandler(IngestService service, ObjectMapper mapper, Config.Ingest limits, Executor responses,
                            WriteKeyLookup<App> writeKeys) {
        this.service = service;
        this.mapper = mapper;
        this.limits = limits;
        this.responses = responses;
        this.writeKeys = writeKeys;
        this.batches = NativeAdapter.batch(limits.maxBatchEvents());
    }

    /** PUBLIC to the route table because the key is in the body: this handler checks it, with the same lookup. */
    public void routes(RouteTable routes) {
        routes.post(PATH, this::batch, Access.PUBLIC, CrossOrigin.simpleRequestsOnly());
    }

    public void batch(Context ctx) throws SQLException {
        JsonNode body = JsonBody.readPlainText(ctx, mapper, limits.maxBodyBytes());
        App app = app(body);
        CompletableFuture<IngestResult> stored = service.ingest(app, batches.read(body, IngestHandler.origin(ctx)));
        IngestHandler.answer(ctx, stored, IngestHandler::batchAnswer, responses);
    }

    /** The app of the body's {@code write_key}, which is taken out so that the rest is a native batch. */
    private App app(JsonNode body) throws SQLException {
        if (!(body instanceof ObjectNode envelope)) {
            throw IngestRejection.envelope(IngestRejection.Reason.INVALID_TYPE,
                    "the body must be a JSON object {\"write_key\": \"wk_…\", \"events\": [...]}", null);
        }
        JsonNode key = envelope.remove("write_key");
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            throw ApiException.unauthorized("missing_write_key", "send the app's write key as write_key in the body");
        }
        return writeKeys.authenticate(key.asText().trim()).orElseThrow(() ->
                ApiException.unauthorized("invalid_write_key", "the write key is not valid"));
    }
}
