package io.sightline.ingest;

import io.sightline.auth.App;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Segment's HTTP Tracking API over Sightline's one ingestion path: each message is translated
 * ({@link SegmentTranslator}), the {@code identify} and {@code alias} links are stored, anonymous events of an
 * identified visitor get the user's id, and the events go through {@link IngestService} (validation, enrichment,
 * the sink), so the request completes once they are durable. As Segment does, a message that cannot be stored is
 * dropped rather than failing the request: it is counted ({@link IngestListener#rejected}, by reason) and logged
 * by index, reason and field, never by value.
 *
 * <p>Messages whose context names another sender ({@code context.ip}, {@code context.userAgent}: a server relaying
 * for its users) are ingested in one group per sender, so that each event is enriched from its own sender.
 */
public final class SegmentService {
    private static final Logger log = LoggerFactory.getLogger(SegmentService.class);
    /** Dropped messages are logged at INFO at most this often; the rest at DEBUG, so bad clients cannot flood the log. */
    private static final Duration INFO_EVERY = Duration.ofMinutes(1);

    /**
     * What the request came to: events stored, and messages that were neither stored nor meant to be (dropped,
     * refused by validation or by enrichment). The client is answered {@code {"success": true}} either way.
     */
    public record Outcome(int stored, int notStored) {}

    private record Sender(String ip, String userAgent) {}

    private final IngestService ingest;
    private final SegmentTranslator translator;
    private final SegmentIdentities identities;
    private final IngestListener listener;
    private final Clock clock;
    private final AtomicLong nextInfo = new AtomicLong(Long.MIN_VALUE);

    public SegmentService(IngestService ingest, Pipeline pipeline, SegmentIdentities identities,
                          IngestListener listener, Clock clock) {
        this.ingest = ingest;
        this.translator = new SegmentTranslator(new SegmentTraits(pipeline::validate));
        this.identities = identities;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * @param routeType the type a single-message route implies, or null for a batch
     * @param transport the sender as the transport saw it
     */
    CompletableFuture<Outcome> accept(App app, String routeType, SegmentRequest request, Origin transport) {
        Instant receivedAt = clock.instant();
        List<SegmentMessage.ToEvent> events = new ArrayList<>(request.messages().size());
        List<SegmentMessage.Link> links = new ArrayList<>();
        DropLog notStored = new DropLog();
        SegmentTranslator.Batch batch = new SegmentTranslator.Batch(receivedAt, request.sentAt());
        for (SegmentRequest.Message message : request.messages()) {
            SegmentMessage translated = translator.translate(app, routeType, request, message, batch);
            if (translated instanceof SegmentMessage.ToEvent event) {
                events.add(event);
            } else if (translated instanceof SegmentMessage.Link link) {
                links.add(link);
            } else if (translated instanceof SegmentMessage.Dropped dropped) {
                listener.rejected(dropped.code(), 1);
                notStored.add(dropped.index(), dropped.code(), dropped.field());
            }
        }
        identities.link(app.id(), links);
        fillUsers(app, events);

        Map<Sender, List<Incoming.Item>> bySender = new LinkedHashMap<>();
        for (SegmentMessage.ToEvent event : events) {
            bySender.computeIfAbsent(new Sender(event.ip(), event.userAgent()), s -> new ArrayList<>())
                    .add(new Incoming.Item(event.index(), event.event()));
        }
        List<CompletableFuture<IngestResult>> stored = new ArrayList<>(bySender.size());
        bySender.forEach((sender, items) ->
                stored.add(ingest.ingest(app, new Incoming(items, origin(sender, transport), false))));
        int messages = request.messages().size();
        return CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).thenApply(done -> {
            int accepted = 0;
            for (CompletableFuture<IngestResult> part : stored) {
                IngestResult result = part.join();
                accepted += result.accepted();
                result.rejected().forEach(r -> notStored.add(r.index(), r.code(), r.field()));
            }
            report(app, messages, notStored);
            return new Outcome(accepted, messages - accepted);
        });
    }

    /** Events of a visitor without a userId get the user the visitor was linked to, by this request or before. */
    private void fillUsers(App app, List<SegmentMessage.ToEvent> events) {
        List<String> anonymous = new ArrayList<>();
        for (SegmentMessage.ToEvent event : events) {
            if (event.userId() == null && event.visitorId() != null) {
                anonymous.add(event.visitorId());
            }
        }
        if (anonymous.isEmpty()) {
            return;
        }
        Map<String, String> users = identities.usersOf(app.id(), anonymous);
        if (users.isEmpty()) {
            return;
        }
        for (SegmentMessage.ToEvent event : events) {
            String user = event.userId() == null && event.visitorId() != null ? users.get(event.visitorId()) : null;
            if (user != null) {
                event.event().put("user_id", user);
            }
        }
    }

    /** The message's sender where its context names one, else the transport's. */
    private static Origin origin(Sender sender, Origin transport) {
        if (sender.ip() == null && sender.userAgent() == null) {
            return transport;
        }
        boolean ownIp = sender.ip() != null;
        return new Origin(ownIp ? sender.ip() : transport.peerAddress(), ownIp ? null : transport.forwardedFor(),
                sender.userAgent() != null ? sender.userAgent() : transport.userAgent(), transport.doNotTrack(),
                transport.globalPrivacyControl());
    }

    /** The messages of one request that were not stored: how many, and the first few by index, reason and field. */
    private static final class DropLog {
        private static final int SHOWN = 10;
        private final List<String> first = new ArrayList<>(SHOWN);
        private int count;

        void add(int index, String code, String field) {
            if (count++ < SHOWN) {
                first.add(index + ": " + code + (field == null ? "" : " at " + field));
            }
        }

        @Override
        public String toString() {
            return String.join("; ", first) + (count > SHOWN ? "; …" : "");
        }
    }

    private void report(App app, int messages, DropLog notStored) {
        if (notStored.count == 0) {
            return;
        }
        long now = System.nanoTime();
        long next = nextInfo.get();
        boolean info = (next == Long.MIN_VALUE || now - next >= 0)
                && nextInfo.compareAndSet(next, now + INFO_EVERY.toNanos());
        if (info) {
            log.info("Segment request for app {}: {} of {} messages dropped (index: reason): {}", app.id(),
                    notStored.count, messages, notStored);
        } else if (log.isDebugEnabled()) {
            log.debug("Segment request for app {}: {} of {} messages dropped (index: reason): {}", app.id(),
                    notStored.count, messages, notStored);
        }
    }
}
