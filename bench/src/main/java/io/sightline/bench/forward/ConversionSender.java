package io.sightline.bench.forward;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends {@code /batch} requests of conversions from a few threads and remembers, for every event the server
 * acknowledged (2xx, with every event of the request accepted), the {@link System#nanoTime()} the answer came
 * back: the start of that event's forwarding lag. Unlike the load engine it knows each event id, which the lag
 * and the loss check need; it costs more CPU per request, so it sends at most a few hundred requests a second.
 *
 * <p>At a fixed rate, request {@code k} is due at {@code start + k * size / rate} and waits for its time; a
 * request sent late (every thread busy) is sent at once, and {@link Result#maxLateMillis} says by how much.
 */
final class ConversionSender {
    /**
     * @param acks the acknowledged events and when each was acknowledged
     * @param refused requests answered other than 2xx, or with an event not accepted (their events count as not
     *     acknowledged)
     * @param errors requests that got no answer
     */
    record Result(Map<UUID, Long> acks, long requests, long refused, long errors, Duration elapsed, long maxLateMillis) {
        double eventsPerSecond() {
            return acks.size() / (elapsed.toNanos() / 1e9);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI batchUrl;
    private final String writeKey;
    private final ConversionEvents events;
    private final int threads;
    private final int eventsPerRequest;

    ConversionSender(URI batchUrl, String writeKey, ConversionEvents events, int threads, int eventsPerRequest) {
        this.batchUrl = batchUrl;
        this.writeKey = writeKey;
        this.events = events;
        this.threads = threads;
        this.eventsPerRequest = eventsPerRequest;
    }

    /** As fast as the threads go, until {@code total} events have been sent (acknowledged or not). */
    Result sendAsFastAsPossible(long total) throws InterruptedException {
        long requests = (total + eventsPerRequest - 1) / eventsPerRequest;
        return run(k -> k < requests ? 0 : -1);
    }

    /** {@code eventsPerSecond} for {@code duration}. */
    Result sendAtRate(double eventsPerSecond, Duration duration) throws InterruptedException {
        double nanosPerRequest = eventsPerRequest * 1e9 / eventsPerSecond;
        long requests = (long) (duration.toNanos() / nanosPerRequest);
        return run(k -> k < requests ? (long) (k * nanosPerRequest) : -1);
    }

    /** When request {@code k} is due, in nanoseconds after the start; negative when there is no such request. */
    private interface Schedule {
        long due(long k);
    }

    private Result run(Schedule schedule) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong maxLate = new AtomicLong();
        List<Map<UUID, Long>> perThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Map<UUID, Long> acks = new HashMap<>();
            perThread.add(acks);
            Thread worker = new Thread(() -> {
                for (long k = next.getAndIncrement(); ; k = next.getAndIncrement()) {
                    long due = schedule.due(k);
                    if (due < 0 || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    long wait = start + due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else {
                        maxLate.accumulateAndGet(-wait / 1_000_000, Math::max);
                    }
                    sent.incrementAndGet();
                    sendOne(acks, refused, errors);
                }
            }, "conversion-sender-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Map<UUID, Long> all = new HashMap<>();
        perThread.forEach(all::putAll);
        return new Result(all, sent.get(), refused.get(), errors.get(), elapsed, maxLate.get());
    }

    private void sendOne(Map<UUID, Long> acks, AtomicLong refused, AtomicLong errors) {
        UUID[] ids = new UUID[eventsPerRequest];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.randomUUID();
        }
        HttpRequest request = HttpRequest.newBuilder(batchUrl).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Write-Key", writeKey)
                .POST(HttpRequest.BodyPublishers.ofString(events.batch(ids, java.time.Instant.now()))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long acked = System.nanoTime();
            if (response.statusCode() / 100 == 2 && JSON.readTree(response.body()).path("accepted").asInt() == ids.length) {
                for (UUID id : ids) {
                    acks.put(id, acked);
                }
            } else {
                refused.incrementAndGet();
            }
        } catch (IOException e) {
            errors.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
