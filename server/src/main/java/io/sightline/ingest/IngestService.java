package io.sightline.ingest;

import io.sightline.auth.App;
import io.sightline.enrich.DailySalts;
import io.sightline.enrich.DeviceFacts;
import io.sightline.enrich.DeviceResolver;
import io.sightline.enrich.Draft;
import io.sightline.enrich.DropReason;
import io.sightline.enrich.GeoLocator;
import io.sightline.enrich.GeoMemo;
import io.sightline.enrich.Outcome;
import io.sightline.enrich.RequestFacts;
import io.sightline.enrich.Salts;
import io.sightline.event.Event;
import io.sightline.event.Validation;
import io.sightline.event.Violation;
import io.sightline.http.ClientIpResolver;
import io.sightline.store.ClientDataSealer;
import io.sightline.store.EventRow;
import io.sightline.store.EventSink;
import io.sightline.store.WriteRejectedException;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes the events of one request, as a {@link ProtocolAdapter} read them, through the {@link Pipeline} to the
 * {@link EventSink}, and completes once they are durable: validate each event (4xx for the invalid), enrich the
 * valid ones (which may drop some, with a reason), hand the rest to the sink. Invalid and dropped items of a batch
 * are reported by index and never stop the others.
 */
public final class IngestService {
    private final Pipeline pipeline;
    private final EventSink sink;
    private final DeviceResolver devices;
    private final GeoLocator geo;
    private final Executor continuations;
    private final DailySalts salts;
    private final ClientIpResolver clientIps;
    private final Clock clock;
    private final IngestListener listener;
    private final Duration ackTimeout;
    private final ClientDataSealer clientData;

    /**
     * The events that passed validation, with their indexes in the request: two arrays, so that a batch costs no
     * allocation per event here.
     */
    private record Valid(int[] indexes, Event[] events, int count) {}

    /**
     * @param devices       resolves the request's User-Agent before the enrichment steps run
     * @param geo           looks up the request's address, once per request
     * @param continuations runs the rest of a request whose User-Agent had to be parsed first
     * @param ackTimeout    how long a request waits for the sink before it answers {@code ack_timeout}
     * @param clientData    seals the client's address and User-Agent for a destination that may send them
     */
    public IngestService(Pipeline pipeline, DeviceResolver devices, GeoLocator geo, Executor continuations,
                         DailySalts salts, EventSink sink, ClientIpResolver clientIps, Clock clock,
                         IngestListener listener, Duration ackTimeout, ClientDataSealer clientData) {
        this.pipeline = pipeline;
        this.devices = devices;
        this.geo = geo;
        this.continuations = continuations;
        this.salts = salts;
        this.sink = sink;
        this.clientIps = clientIps;
        this.clock = clock;
        this.listener = listener;
        this.ackTimeout = ackTimeout;
        this.clientData = clientData;
    }

    /**
     * Stores every valid event of the request. A single-event request whose event is invalid is refused at once
     * with {@link IngestRejection}; so is a request whose events cannot be taken or confirmed in time.
     */
    public CompletableFuture<IngestResult> ingest(App app, Incoming request) {
        List<Incoming.Item> items = request.items();
        int[] indexes = new int[items.size()];
        Event[] events = new Event[items.size()];
        int count = 0;
        List<IngestResult.Rejection> rejected = new ArrayList<>();
        for (Incoming.Item item : items) {
            Validation validation = pipeline.validate(item.event());
            if (validation instanceof Validation.Valid ok) {
                indexes[count] = item.index();
                events[count++] = ok.event();
            } else {
                Violation v = ((Validation.Invalid) validation).violation();
                listener.rejected(v.code(), 1);
                if (request.single()) {
                    throw IngestRejection.invalidEvent(v);
                }
                rejected.add(new IngestResult.Rejection(item.index(), v.code(), v.field(), v.message()));
            }
        }
        return store(app, new Valid(indexes, events, count), request.origin(), rejected);
    }

    private CompletableFuture<IngestResult> store(App app, Valid valid, Origin origin,
                                                  List<IngestResult.Rejection> rejected) {
        List<UUID> ids = new ArrayList<>(valid.count());
        List<IngestResult.Drop> dropped = new ArrayList<>();
        for (int i = 0; i < valid.count(); i++) {
            ids.add(valid.events()[i].eventId());
        }
        if (valid.count() == 0) {
            return CompletableFuture.completedFuture(new IngestResult(0, ids, rejected, dropped));
        }
        RequestFacts request = requestFacts(app, origin);
        CompletableFuture<DeviceFacts> device = devices.resolve(origin.userAgent());
        if (device.isDone()) {
            return enrichAndStore(app, valid, request.withDevice(device.join()), ids, rejected, dropped);
        }
        // A User-Agent never seen before: continue once the parser thread has read it, without holding this thread.
        return device.thenComposeAsync(facts -> enrichAndStore(app, valid, request.withDevice(facts), ids, rejected,
                dropped), continuations);
    }

    private CompletableFuture<IngestResult> enrichAndStore(App app, Valid valid, RequestFacts request,
                                                           List<UUID> ids, List<IngestResult.Rejection> rejected,
                                                           List<IngestResult.Drop> dropped) {
        List<EventRow> rows = new ArrayList<>(valid.count());
        for (int i = 0; i < valid.count(); i++) {
            Outcome outcome = pipeline.enrich(valid.events()[i], request);
            if (outcome instanceof Draft draft) {
                Event event = draft.event();
                byte[] sealed = draft.bot() ? null : clientData.seal(app.id(), event.eventId(),
                        Boolean.TRUE.equals(event.context().consent().ads()), request.clientIp(), request.userAgent());
                rows.add(new EventRow(app.id(), event, request.receivedAt(), draft.ipHash(), draft.bot(),
                        draft.derived(), sealed));
            } else {
                DropReason reason = ((Outcome.Drop) outcome).reason();
                listener.dropped(reason.code(), 1);
                dropped.add(new IngestResult.Drop(valid.indexes()[i], reason.code()));
            }
        }
        if (rows.isEmpty()) {
            return CompletableFuture.completedFuture(new IngestResult(0, ids, rejected, dropped));
        }
        CompletableFuture<Void> durable;
        try {
            durable = sink.submit(rows);
        } catch (WriteRejectedException e) {
            listener.rejected(reasonName(e.reason()), rows.size());
            throw e;
        }
        return durable
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
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof WriteRejectedException rejected) {
            listener.rejected(reasonName(rejected.reason()), events);
            return rejected;
        }
        if (cause instanceof TimeoutException) {
            listener.rejected("ack_timeout", events);
            return IngestRejection.ackTimeout();
        }
        listener.rejected("internal_error", events);
        return new IllegalStateException("unexpected failure while storing events", cause);
    }

    private static String reasonName(WriteRejectedException.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
