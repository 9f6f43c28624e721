package io.sightline.ingest.umami;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.auth.App;
import io.sightline.auth.AppStore;
import io.sightline.auth.ServerSecretStore;
import io.sightline.error.DomainException;
import io.sightline.ingest.Incoming;
import io.sightline.ingest.IngestRejection;
import io.sightline.ingest.IngestResult;
import io.sightline.ingest.IngestService;
import io.sightline.ingest.Origin;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Umami's collection API over the native ingestion: each message's website names its app, an {@code event} message
 * becomes the native event ({@link UmamiEvents}) and goes through {@link IngestService} (the same pipeline, sink and
 * acknowledgement after the commit); {@code identify} and {@code performance} messages are answered and stored
 * nowhere. Umami sends no message id, so a message sent twice is stored twice.
 */
public final class UmamiService {
    private final IngestService ingest;
    private final UmamiWebsites websites;
    private final UmamiCacheToken tokens;

    /** One refused message of a batch, with its Umami field. */
    public record ItemError(int index, String code, String message, String field) {}

    /**
     * What a batch achieved, in Umami's terms: every message not in {@code errors} was processed (stored, or
     * deliberately not stored: identify, performance, a bot, no consent); {@code cache} is the token of the first
     * processed message, or null.
     */
    public record BatchResult(int size, List<ItemError> errors, String cache) {}

    /**
     * @param websiteTtl how long a website's app (or its absence) is remembered: a website id set with
     *                   {@code PATCH /api/v1/apps/{id}} is seen within it
     */
    public static UmamiService create(IngestService ingest, AppStore apps, ServerSecretStore secrets, Clock clock,
                                      Duration websiteTtl) throws SQLException {
        byte[] key = secrets.getOrCreate(UmamiCacheToken.KEY_NAME, UmamiCacheToken.KEY_BYTES);
        return new UmamiService(ingest, new UmamiWebsites(apps, clock, websiteTtl), new UmamiCacheToken(key, clock));
    }

    UmamiService(IngestService ingest, UmamiWebsites websites, UmamiCacheToken tokens) {
        this.ingest = ingest;
        this.websites = websites;
        this.tokens = tokens;
    }

    /**
     * {@code /api/send}: completes with the cache token once the event is durable (at once for a message that
     * stores nothing).
     *
     * @throws UmamiRejection the message is malformed, names an unknown website or breaks a native rule
     */
    public CompletableFuture<String> send(JsonNode body, Origin origin) throws SQLException {
        UmamiMessage message = UmamiMessage.read(body);
        App app = websites.app(message.website());
        String token = tokens.issue(message.website());
        if (message.type() != UmamiMessage.Type.EVENT) {
            return CompletableFuture.completedFuture(token);
        }
        Incoming request = new Incoming(List.of(new Incoming.Item(0, UmamiEvents.toNative(message, app))), origin,
                true);
        try {
            return ingest.ingest(app, request).thenApply(result -> token);
        } catch (IngestRejection e) {
            if (e.reason() == IngestRejection.Reason.INVALID_EVENT) {
                throw UmamiRejection.invalidEvent(e.code(), e.getMessage(), UmamiEvents.umamiField(e.field(), message));
            }
            throw e;
        }
    }

    /**
     * {@code /api/batch}: an array of messages, each checked on its own; a refused one is listed and never stops
     * the others. The events of each app go through ingestion as one batch; the answer waits for all of them.
     */
    public CompletableFuture<BatchResult> batch(JsonNode body, Origin origin, int maxItems) throws SQLException {
        if (!body.isArray()) {
            throw UmamiRejection.of(UmamiRejection.Reason.INVALID_TYPE,
                    "the body must be a JSON array of messages [{\"type\": \"event\", \"payload\": {...}}, ...]", null);
        }
        if (body.size() > maxItems) {
            throw UmamiRejection.of(UmamiRejection.Reason.TOO_MANY_ITEMS, "a batch holds at most " + maxItems
                    + " messages, got " + body.size(), null);
        }
        List<ItemError> errors = new ArrayList<>();
        Map<Long, AppBatch> byApp = new LinkedHashMap<>();
        String cache = null;
        for (int i = 0; i < body.size(); i++) {
            try {
                UmamiMessage message = UmamiMessage.read(body.get(i));
                App app = websites.app(message.website());
                if (message.type() == UmamiMessage.Type.EVENT) {
                    ObjectNode event = UmamiEvents.toNative(message, app);
                    byApp.computeIfAbsent(app.id(), id -> new AppBatch(app)).add(i, message, event);
                }
                if (cache == null) {
                    cache = tokens.issue(message.website());
                }
            } catch (DomainException e) {
                errors.add(new ItemError(i, e.code(), e.getMessage(), e.field()));
            }
        }
        List<CompletableFuture<List<ItemError>>> stored = new ArrayList<>();
        for (AppBatch batch : byApp.values()) {
            stored.add(ingest.ingest(batch.app, new Incoming(batch.items, origin, false)).thenApply(batch::errors));
        }
        String firstCache = cache;
        return CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ItemError> all = new ArrayList<>(errors);
            stored.forEach(future -> all.addAll(future.join()));
            all.sort(Comparator.comparingInt(ItemError::index));
            return new BatchResult(body.size(), all, firstCache);
        });
    }

    /** The event messages of one app in a batch, under their indexes in the batch. */
    private static final class AppBatch {
        final App app;
        final List<Incoming.Item> items = new ArrayList<>();
        final Map<Integer, UmamiMessage> messages = new LinkedHashMap<>();

        AppBatch(App app) {
            this.app = app;
        }

        void add(int index, UmamiMessage message, ObjectNode event) {
            items.add(new Incoming.Item(index, event));
            messages.put(index, message);
        }

        List<ItemError> errors(IngestResult result) {
            List<ItemError> errors = new ArrayList<>();
            for (IngestResult.Rejection r : result.rejected()) {
                errors.add(new ItemError(r.index(), r.code(), r.message(),
                        UmamiEvents.umamiField(r.field(), messages.get(r.index()))));
            }
            return errors;
        }
    }
}
