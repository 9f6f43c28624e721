package io.sightline.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients that send events with known ids as fast as the server answers, remembering exactly which
 * ids a 2xx acknowledged. Half send single events to /track, half batches of 10 to /batch; or, made by
 * {@link #segment}, all send Segment batches of 10 messages to /v1/batch. Bounded: they stop when told to, and every
 * request has a timeout. A request that got no answer at all is kept, so that it can be
 * retried with the same ids the way an SDK would ({@link #retryUnanswered}).
 */
public final class LoadClients implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI server;
    private final String writeKey;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong connectionErrors = new AtomicLong();
    private final AtomicLong slowestMillis = new AtomicLong();
    private final AtomicLong retryAfterSeen = new AtomicLong();
    private final String occurredAt = Instant.now().minusSeconds(60).toString();
    private final boolean withOccurredAt;
    private final ConcurrentLinkedQueue<Unanswered> unanswered = new ConcurrentLinkedQueue<>();
    /** The app of the write key, for Segment's event ids; null: the native routes. */
    private final Long segmentApp;

    private record Unanswered(HttpRequest request, List<UUID> ids) {}

    public LoadClients(URI server, String writeKey, int clients) {
        this(server, writeKey, clients, true);
    }

    /** {@code withOccurredAt} false: events carry no occurred_at, so the server assigns each copy its own time. */
    public LoadClients(URI server, String writeKey, int clients, boolean withOccurredAt) {
        this(server, writeKey, clients, withOccurredAt, null);
    }

    /**
     * Segment clients: batches of 10 {@code track} messages to /v1/batch, each with a {@code messageId} and no
     * timestamp, the write key as Basic user, as Segment's SDKs send them. {@code appId}: the write key's app, whose
     * id with each {@code messageId} gives the stored event id.
     */
    public static LoadClients segment(URI server, String writeKey, long appId, int clients) {
        return new LoadClients(server, writeKey, clients, false, appId);
    }

    private LoadClients(URI server, String writeKey, int clients, boolean withOccurredAt, Long segmentApp) {
        this.server = server;
        this.writeKey = writeKey;
        this.withOccurredAt = withOccurredAt;
        this.segmentApp = segmentApp;
        for (int i = 0; i < clients; i++) {
            boolean batch = i % 2 == 1;
            Thread t = new Thread(() -> loop(batch), "load-client-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(boolean batch) {
        while (running.get()) {
            List<UUID> ids = new ArrayList<>(10);
            HttpRequest request = segmentApp != null ? segmentRequest(ids) : nativeRequest(batch, ids);
            long start = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                statuses.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
                if (r.statusCode() == 200) {
                    acknowledged.addAll(ids);
                } else if (r.statusCode() == 503) {
                    if (r.headers().firstValue("Retry-After").isPresent()) {
                        retryAfterSeen.incrementAndGet();
                    }
                    pause(50);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                connectionErrors.incrementAndGet();
                unanswered.add(new Unanswered(request, ids));
                pause(50);
            }
        }
    }

    private HttpRequest nativeRequest(boolean batch, List<UUID> ids) {
        int n = batch ? 10 : 1;
        StringBuilder body = new StringBuilder(batch ? "{\"events\":[" : "");
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            body.append(i == 0 ? "" : ",").append("{\"event_id\":\"").append(id)
                    .append("\",\"type\":\"interaction\",");
            if (withOccurredAt) {
                body.append("\"occurred_at\":\"").append(occurredAt).append("\",");
            }
            body.append("\"properties\":{\"object_id\":\"chair\",\"kind\":\"tap\"}}");
        }
        if (batch) {
            body.append("]}");
        }
        URI uri = server.resolve(batch ? "/api/v1/analytics/batch" : "/api/v1/analytics/track");
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("X-Write-Key", writeKey)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    private HttpRequest segmentRequest(List<UUID> ids) {
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 10; i++) {
            String messageId = "load-" + UUID.randomUUID();
            ids.add(io.sightline.ingest.MessageIds.eventId(segmentApp, "segment", messageId));
            body.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"interaction\",\"messageId\":\"")
                    .append(messageId).append("\",\"anonymousId\":\"load-visitor\",")
                    .append("\"properties\":{\"object_id\":\"chair\",\"kind\":\"tap\"}}");
        }
        body.append("]}");
        String basic = java.util.Base64.getEncoder().encodeToString(
                (writeKey + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(server.resolve("/v1/batch"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After {@link #close}: sends every request that got no answer again, with the same ids, until each is
     * acknowledged; returns how many there were.
     */
    public int retryUnanswered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int retried = 0;
        for (Unanswered u = unanswered.poll(); u != null; u = unanswered.poll()) {
            retried++;
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("unanswered requests still unacknowledged after " + timeout);
                }
                try {
                    if (http.send(u.request(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        acknowledged.addAll(u.ids());
                        break;
                    }
                } catch (IOException e) {
                    // not up yet; try again
                }
                Thread.sleep(50);
            }
        }
        return retried;
    }

    public Set<UUID> acknowledged() {
        return acknowledged;
    }

    public long count(int status) {
        AtomicLong n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    /** How many answers came with each HTTP status. */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((status, n) -> counts.put(status, n.get()));
        return counts;
    }

    public long connectionErrors() {
        return connectionErrors.get();
    }

    public long retryAfterSeen() {
        return retryAfterSeen.get();
    }

    public long slowestMillis() {
        return slowestMillis.get();
    }

    public void resetSlowest() {
        slowestMillis.set(0);
    }

    public String summary() {
        return "statuses=" + statuses + " connectionErrors=" + connectionErrors + " acknowledged=" + acknowledged.size()
                + " slowestMs=" + slowestMillis;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
