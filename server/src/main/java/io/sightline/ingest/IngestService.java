package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.auth.App;
import io.sightline.enrich.DailySalts;
import io.sightline.enrich.DropReason;
import io.sightline.enrich.DeviceFacts;
import io.sightline.enrich.DeviceResolver;
import io.sightline.enrich.Draft;
import io.sightline.enrich.Enricher;
import io.sightline.enrich.GeoLocator;
import io.sightline.enrich.GeoMemo;
import io.sightline.enrich.Outcome;
import io.sightline.enrich.RequestFacts;
import io.sightline.enrich.Salts;
import io.sightline.event.Event;
import io.sightline.event.EventValidator;
import io.sightline.event.Validation;
import io.sightline.event.Violation;
import io.sightline.http.ApiException;
import io.sightline.store.EventRow;
import io.sightline.store.EventWriter;
import io.sightline.store.WriteRejectedException;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Turns a parsed request into stored events: validate each event (4xx for the invalid), run the valid ones
 * through the {@link Enricher} (which may drop some, with a reason), hand the rest to the writer, and
 * complete once they are committed. Invalid and dropped items of a batch are reported by index and never
 * stop the others.
 */
public final class IngestService {
    private final EventValidator validator;
    private final EventWriter writer;
    private final Enricher enricher;
    private final DeviceResolver devices;
    private final GeoLocator geo;
    private final Executor continuations;
    private final DailySalts salts;
    private final ClientIpResolver clientIps;
    private final Clock clock;
    private final IngestListener listener;
    private final int maxBatchEvents;
    private final Duration ackTimeout;

    /**
     * Where a request came from, as the HTTP layer saw it. The address is used for GeoIP and hashed; it is
     * never stored or logged, so this record does not print its fields.
     */
    public record Origin(String peerAddress, String forwardedFor, String userAgent, String doNotTrack,
                         String globalPrivacyControl) {
        @Override
        public String toString() {
            return "Origin[…]";
        }
    }

    private record Indexed(int index, Event event) {}

    /**
     * @param devices       resolves the request's User-Agent before the steps run
     * @param geo           looks up the request's address, once per request
     * @param continuations runs the rest of a request whose User-Agent had to be parsed first
     */
    public IngestService(EventValidator validator, Enricher enricher, DeviceResolver devices, GeoLocator geo,
                         Executor continuations,
                         DailySalts salts, EventWriter writer, ClientIpResolver clientIps, Clock clock,
                         IngestListener listener, int maxBatchEvents, Duration ackTimeout) {
        this.validator = validator;
        this.enricher = enricher;
        this.devices = devices;
        this.geo = geo;
        this.continuations = continuations;
        this.salts = salts;
        this.writer = writer;
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
        return store(app, List.of(new Indexed(0, event)), origin, List.of());
    }

    /** {@code {"events": [...]}}: every valid item is stored; the others are listed by index. */
    public CompletableFuture<IngestResult> batch(App app, JsonNode body, Origin origin) {
        JsonNode events = envelope(body);
        List<Indexed> valid = new ArrayList<>(events.size());
        List<IngestResult.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Validation validation = validator.validate(events.get(i));
            if (validation instanceof Validation.Valid ok) {
                valid.add(new Indexed(i, ok.event()));
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

    private CompletableFuture<IngestResult> store(App app, List<Indexed> events, Origin origin,
                                                  List<IngestResult.Rejection> rejected) {
        List<UUID> ids = new ArrayList<>(events.size());
        List<IngestResult.Drop> dropped = new ArrayList<>();
        for (Indexed item : events) {
            ids.add(item.event().eventId());
        }
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(new IngestResult(0, ids, rejected, dropped));
        }
        RequestFacts request = requestFacts(app, origin);
        CompletableFuture<DeviceFacts> device = devices.resolve(origin.userAgent());
        if (device.isDone()) {
            return enrichAndStore(app, events, request.withDevice(device.join()), ids, rejected, dropped);
        }
        // A User-Agent never seen before: continue once the parser thread has read it, without holding this thread.
        return device.thenComposeAsync(facts -> enrichAndStore(app, events, request.withDevice(facts), ids, rejected,
                dropped), continuations);
    }

    private CompletableFuture<IngestResult> enrichAndStore(App app, List<Indexed> events, RequestFacts request,
                                                           List<UUID> ids, List<IngestResult.Rejection> rejected,
                                                           List<IngestResult.Drop> dropped) {
        List<EventRow> rows = new ArrayList<>(events.size());
        for (Indexed item : events) {
            Outcome outcome = enricher.enrich(item.event(), request);
            if (outcome instanceof Draft draft) {
                rows.add(new EventRow(app.id(), draft.event(), request.receivedAt(), draft.ipHash(), draft.bot(),
                        draft.derived()));
            } else {
                DropReason reason = ((Outcome.Drop) outcome).reason();
                listener.dropped(reason.code(), 1);
                dropped.add(new IngestResult.Drop(item.index(), reason.code()));
            }
        }
        if (rows.isEmpty()) {
            return CompletableFuture.completedFuture(new IngestResult(0, ids, rejected, dropped));
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
                    return new IngestResult(rows.size(), ids, rejected, dropped);
                });
    }

    private RequestFacts requestFacts(App app, Origin origin) {
        Instant receivedAt = clock.instant();
        Salts today;
        try {
            today = salts.at(receivedAt);
        } catch (SQLException e) {
            throw new WriteRejectedException(WriteRejectedException.Reason.DATABASE_UNAVAILABLE, e);
        }
        String ip = clientIps.resolve(origin.peerAddress(), origin.forwardedFor()).orElse(null);
        boolean optedOut = "1".equals(trim(origin.doNotTrack())) || "1".equals(trim(origin.globalPrivacyControl()));
        return new RequestFacts(app.id(), ip, origin.userAgent(), optedOut, receivedAt, today, DeviceFacts.UNKNOWN,
                new GeoMemo(geo, ip));
    }

    private static String trim(String header) {
        return header == null ? null : header.trim();
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
