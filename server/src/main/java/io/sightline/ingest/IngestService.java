package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.auth.App;
import io.sightline.enrich.IpHasher;
import io.sightline.event.Event;
import io.sightline.event.EventValidator;
import io.sightline.event.Validation;
import io.sightline.event.Violation;
import io.sightline.http.ApiException;
import io.sightline.store.EventRow;
import io.sightline.store.EventWriter;
import io.sightline.store.WriteRejectedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a parsed request into stored events: validate each event, hash the client IP, hand the valid rows
 * to the writer, and complete once they are committed. Invalid items of a batch are reported by index and
 * never stop the valid ones.
 */
public final class IngestService {
    private final EventValidator validator;
    private final EventWriter writer;
    private final IpHasher ipHasher;
    private final ClientIpResolver clientIps;
    private final Clock clock;
    private final IngestListener listener;
    private final int maxBatchEvents;
    private final Duration ackTimeout;

    /** Where a request came from, as the HTTP layer saw it; only ever used to derive the IP hash. */
    public record Origin(String peerAddress, String forwardedFor) {}

    public IngestService(EventValidator validator, EventWriter writer, IpHasher ipHasher, ClientIpResolver clientIps,
                         Clock clock, IngestListener listener, int maxBatchEvents, Duration ackTimeout) {
        this.validator = validator;
        this.writer = writer;
        this.ipHasher = ipHasher;
        this.clientIps = clientIps;
        this.clock = clock;
        this.listener = listener;
        this.maxBatchEvents = maxBatchEvents;
        this.ackTimeout = ackTimeout;
    }

    /** One event; an invalid one is refused as a whole with the violation's field. */
    public CompletableFuture<IngestResult> track(App app, JsonNode node, Origin origin) {
        Validation validation = validator.validate(node);
        if (validation instanceof Validation.Invalid invalid) {
            Violation v = invalid.violation();
            listener.rejected(v.code(), 1);
            throw ApiException.badRequest(v.code(), v.message(), v.field());
        }
        Event event = ((Validation.Valid) validation).event();
        return store(app, List.of(event), origin, List.of());
    }

    /** {@code {"events": [...]}}: every valid item is stored; the others are listed by index. */
    public CompletableFuture<IngestResult> batch(App app, JsonNode body, Origin origin) {
        JsonNode events = envelope(body);
        List<Event> valid = new ArrayList<>(events.size());
        List<IngestResult.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Validation validation = validator.validate(events.get(i));
            if (validation instanceof Validation.Valid ok) {
                valid.add(ok.event());
            } else {
                Violation v = ((Validation.Invalid) validation).violation();
                listener.rejected(v.code(), 1);
                rejected.add(new IngestResult.Rejection(i, v.code(), v.field(), v.message()));
            }
        }
        return store(app, valid, origin, rejected);
    }

    private JsonNode envelope(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest("invalid_type", "the body must be a JSON object {\"events\": [...]}", null);
        }
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            String key = entry.getKey();
            if (!key.equals("events")) {
                throw ApiException.badRequest("unknown_field", "unknown field \"" + shorten(key)
                        + "\"; a batch is {\"events\": [...]}", shorten(key));
            }
        }
        JsonNode events = body.get("events");
        if (events == null) {
            throw ApiException.badRequest("missing_field", "events is required", "events");
        }
        if (!events.isArray()) {
            throw ApiException.badRequest("invalid_type", "events must be an array of event objects", "events");
        }
        if (events.isEmpty() || events.size() > maxBatchEvents) {
            throw ApiException.badRequest("too_many_items", "events must hold between 1 and " + maxBatchEvents
                    + " events, got " + events.size(), "events");
        }
        return events;
    }

    private CompletableFuture<IngestResult> store(App app, List<Event> events, Origin origin,
                                                  List<IngestResult.Rejection> rejected) {
        List<UUID> ids = new ArrayList<>(events.size());
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(new IngestResult(0, ids, rejected));
        }
        byte[] ipHash = clientIps.resolve(origin.peerAddress(), origin.forwardedFor())
                .map(ipHasher::hash).orElse(null);
        Instant receivedAt = clock.instant();
        List<EventRow> rows = new ArrayList<>(events.size());
        for (Event event : events) {
            rows.add(new EventRow(app.id(), event, receivedAt, ipHash));
            ids.add(event.eventId());
        }
        CompletableFuture<Void> committed;
        try {
            committed = writer.submit(rows);
        } catch (WriteRejectedException e) {
            listener.rejected(reasonName(e.reason()), rows.size());
            throw e;
        }
        return committed
                .orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> {
                    if (failure != null) {
                        throw asRejection(failure, rows.size());
                    }
                    listener.accepted(rows.size());
                    return new IngestResult(rows.size(), ids, rejected);
                });
    }

    private RuntimeException asRejection(Throwable failure, int events) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof WriteRejectedException rejected) {
            listener.rejected(reasonName(rejected.reason()), events);
            return rejected;
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            listener.rejected("ack_timeout", events);
            return new ApiException(503, "ack_timeout", "the events were not confirmed as stored in time; retry with"
                    + " the same event_id values", null, 1);
        }
        listener.rejected("internal_error", events);
        return new IllegalStateException("unexpected failure while storing events", cause);
    }

    private static String reasonName(WriteRejectedException.Reason reason) {
        return reason.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64);
    }
}
