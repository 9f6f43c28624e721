package io.sightline.sdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The sender thread: sends the queue's oldest events as one batch when a batch is full, when the flush interval
 * has passed, on {@link Sightline#flush()} and on close. The cursor moves only when the server has answered, so
 * every retry carries the same events with the same ids.
 *
 * <ul>
 *   <li>2xx: done. Events the answer lists as {@code rejected} were invalid and are counted; the others are
 *       stored (or deliberately dropped by the server, as a bot's).</li>
 *   <li>5xx, 408, 429 or no answer: sent again after a growing, randomised delay, at least the Retry-After.</li>
 *   <li>413: the batch is halved and sent again at once.</li>
 *   <li>A 400 or 415 to a gzipped body from a server that reads no gzip: sent again uncompressed, and from then on
 *       uncompressed.</li>
 *   <li>Any other 4xx (a wrong write key, a malformed batch): the batch is discarded and counted, since sending
 *       it again cannot succeed.</li>
 * </ul>
 */
final class Sender implements Runnable {
    private static final int MAX_BATCH_BYTES = 512 * 1024;

    private final DiskQueue disk;
    private final HttpTransport transport;
    private final SightlineBuilder settings;
    private final Counters counters;
    private final Backoff backoff;
    private final Object signal = new Object();
    private boolean wakeRequested;
    private volatile boolean stopping;
    private volatile long stopDeadline;
    private volatile boolean gzip;
    private Thread thread;
    private int attempt;
    private int limit;

    Sender(DiskQueue disk, HttpTransport transport, SightlineBuilder settings, Counters counters) {
        this.disk = disk;
        this.transport = transport;
        this.settings = settings;
        this.counters = counters;
        this.backoff = new Backoff(settings.minBackoffMillis, settings.maxBackoffMillis, new Random());
        this.gzip = settings.gzip;
        this.limit = settings.maxBatch;
    }

    void start() {
        thread = new Thread(this, "sightline-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends what is queued now instead of at the end of the flush interval. */
    void wake() {
        synchronized (signal) {
            wakeRequested = true;
            signal.notifyAll();
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                synchronized (signal) {
                    if (!wakeRequested && !stopping) {
                        signal.wait(settings.flushIntervalMillis);
                    }
                    wakeRequested = false;
                }
                sendAll();
                if (stopping) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (signal) {
                signal.notifyAll(); // for flush(timeout) and close
            }
        }
    }

    /** Sends batches until the queue is empty, or until close's deadline. */
    private void sendAll() throws InterruptedException {
        while (disk.size() > 0 && !pastDeadline()) {
            DiskQueue.Batch batch;
            try {
                batch = disk.peek(limit, MAX_BATCH_BYTES);
            } catch (IOException e) {
                return; // closed under us, or the disk failed: what is on disk is sent by the next run
            }
            if (batch.payloads.isEmpty()) {
                return;
            }
            long delay;
            try {
                delay = send(batch);
            } catch (RuntimeException e) {
                delay = backoff.delay(attempt++, 0); // never let one odd answer stop the sender
                settings.listener.retrying(-1, delay, e);
            }
            if (delay > 0) {
                if (stopping && System.currentTimeMillis() + delay > stopDeadline) {
                    return; // no time left to wait: the batch stays on disk for the next start
                }
                pause(delay);
            }
        }
    }

    /** Sends one batch; answers how long to wait before the next try (0: go on at once). */
    private long send(DiskQueue.Batch batch) {
        boolean gzipped = gzip;
        HttpTransport.Answer answer = transport.post(body(batch.payloads), gzipped);
        int status = answer.status;
        int events = batch.payloads.size();
        if (status >= 200 && status < 300) {
            int rejected = rejectedCount(answer.body);
            counters.rejected.addAndGet(rejected);
            counters.sent.addAndGet(events - rejected);
            acknowledge(batch);
            settings.listener.batchSent(events, rejected);
            return 0;
        }
        if (gzipped && (status == 400 || status == 415) && refusedGzip(answer.body)) {
            gzip = false;
            return 0;
        }
        if (status == 413 && events > 1) {
            limit = Math.max(1, events / 2);
            return 0;
        }
        if (status == -1 || status >= 500 || status == 408 || status == 429) {
            long delay = backoff.delay(attempt++, answer.retryAfterMillis);
            settings.listener.retrying(status, delay, answer.failure);
            return delay;
        }
        counters.rejected.addAndGet(events);
        acknowledge(batch);
        settings.listener.batchRefused(events, status, answer.body);
        return 0;
    }

    private void acknowledge(DiskQueue.Batch batch) {
        attempt = 0;
        limit = settings.maxBatch;
        try {
            disk.ack(batch);
        } catch (IOException e) {
            // the cursor could not be written: the batch is sent again later and the server stores it once
        }
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** What a server answers to a gzip body it does not inflate: the bytes are not UTF-8 or not JSON. */
    private static boolean refusedGzip(String body) {
        return body.contains("invalid_utf8") || body.contains("malformed_json")
                || body.contains("unsupported_media_type") || body.contains("unsupported_encoding");
    }

    static int rejectedCount(String body) {
        try {
            Object parsed = MiniJson.parse(body);
            Object rejected = parsed instanceof Map ? ((Map<?, ?>) parsed).get("rejected") : null;
            return rejected instanceof List ? ((List<?>) rejected).size() : 0;
        } catch (IllegalArgumentException e) {
            return 0; // a 2xx is a 2xx: the server took the batch
        }
    }

    private static byte[] body(List<byte[]> payloads) {
        int size = 12 + payloads.size();
        for (byte[] p : payloads) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = put(out, 0, "{\"events\":[");
        for (int i = 0; i < payloads.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] p = payloads.get(i);
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        at = put(out, at, "]}");
        return java.util.Arrays.copyOf(out, at);
    }

    private static int put(byte[] out, int at, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, at, b.length);
        return at + b.length;
    }

    private void pause(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        boolean wasStopping = stopping;
        synchronized (signal) {
            long left;
            while ((left = until - System.currentTimeMillis()) > 0 && !pastDeadline()) {
                signal.wait(left);
                if (stopping && !wasStopping) {
                    return; // close wants a last try now, within its deadline
                }
            }
        }
    }

    private boolean pastDeadline() {
        return stopping && System.currentTimeMillis() >= stopDeadline;
    }

    /** Waits until the queue is empty and nothing is pending in memory, or the time is up. */
    boolean awaitEmpty(DiskWriter writer, long deadlineMillis) throws InterruptedException {
        synchronized (signal) {
            while (disk.size() > 0 || writer.pending() > 0) {
                long left = deadlineMillis - System.currentTimeMillis();
                if (left <= 0 || !thread.isAlive()) {
                    return false;
                }
                signal.wait(Math.min(left, 50));
            }
            return true;
        }
    }

    /** Sends what is left until {@code deadlineMillis}, then stops; returns once the thread ended or the time is up. */
    void stop(long deadlineMillis) throws InterruptedException {
        stopDeadline = deadlineMillis;
        stopping = true;
        wake();
        thread.join(Math.max(1, deadlineMillis - System.currentTimeMillis()));
    }
}
