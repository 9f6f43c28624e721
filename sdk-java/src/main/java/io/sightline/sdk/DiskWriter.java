package io.sightline.sdk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer thread: takes what callers queued in memory, gives each event its id and session, encodes it and
 * appends it to the {@link DiskQueue}. Callers only add to a lock-free queue and count; the count tells the writer
 * whether to sleep, and the caller whose event ends an empty spell wakes it, so a burst costs one wake-up.
 */
final class DiskWriter implements Runnable {
    private static final int DRAIN = 500;

    private final ConcurrentLinkedQueue<PendingEvent> queue = new ConcurrentLinkedQueue<>();
    /** Events counted by callers and not yet handled by the writer; at least the queue's size. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private final DiskQueue disk;
    private final EventEncoder encoder;
    private final Sessions sessions;
    private final String visitorId;
    private final Sender sender;
    private final SightlineBuilder settings;
    private final Counters counters;
    private volatile Thread thread;
    private volatile boolean stopping;
    private long lastSyncMillis;
    /** Records appended since the last sync: an idle writer with nothing to force sleeps until it is woken. */
    private boolean unsynced;

    DiskWriter(DiskQueue disk, EventEncoder encoder, Sessions sessions, String visitorId, Sender sender,
               SightlineBuilder settings, Counters counters) {
        this.disk = disk;
        this.encoder = encoder;
        this.sessions = sessions;
        this.visitorId = visitorId;
        this.sender = sender;
        this.settings = settings;
        this.counters = counters;
    }

    void start() {
        Thread t = new Thread(this, "sightline-writer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Caller thread: queues the event in memory; false when the memory bound is reached. */
    boolean offer(PendingEvent e) {
        if (pending.get() >= settings.maxPendingEvents) {
            return false;
        }
        int before = pending.getAndIncrement();
        offered.incrementAndGet();
        queue.offer(e);
        if (before == 0) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    @Override
    public void run() {
        List<PendingEvent> taken = new ArrayList<>(DRAIN);
        while (true) {
            PendingEvent e;
            while (taken.size() < DRAIN && (e = queue.poll()) != null) {
                taken.add(e);
            }
            if (!taken.isEmpty()) {
                write(taken);
                int n = taken.size();
                taken.clear();
                handled.addAndGet(n);
                if (pending.addAndGet(-n) > 0) {
                    continue;
                }
            } else if (pending.get() > 0) {
                Thread.yield(); // a caller has counted an event and is about to add it
                continue;
            }
            afterDrain();
            if (stopping && pending.get() == 0) {
                break;
            }
            if (unsynced) {
                LockSupport.parkNanos(this, settings.syncIntervalMillis * 1_000_000L); // then force what is left
            } else {
                LockSupport.park(this);
            }
        }
        try {
            sessions.save(true);
            disk.sync();
        } catch (IOException ex) {
            // nothing more to do on the way out; the events themselves are written
        }
        synchronized (this) {
            notifyAll();
        }
    }

    private void write(List<PendingEvent> events) {
        List<byte[]> payloads = new ArrayList<>(events.size());
        for (PendingEvent e : events) {
            byte[] json;
            try {
                json = encoder.encode(e, UUID.randomUUID().toString(), visitorId, sessions.sessionFor(e.atMillis));
            } catch (RuntimeException ex) {
                counters.rejected.incrementAndGet(); // a property whose toString() failed: this event only
                settings.listener.eventsDropped(1, "unencodable: " + ex);
                continue;
            }
            if (json.length > RecordFormat.MAX_PAYLOAD_BYTES) {
                counters.rejected.incrementAndGet(); // the server would refuse it: over 32 KiB
                settings.listener.eventsDropped(1, "too_large");
                continue;
            }
            payloads.add(json);
        }
        long evictedBefore = disk.evicted();
        try {
            disk.append(payloads);
            unsynced = true;
        } catch (IOException | RuntimeException ex) {
            counters.failed.addAndGet(payloads.size());
            settings.listener.eventsDropped(payloads.size(), "disk_error: " + ex);
        }
        long evicted = disk.evicted() - evictedBefore;
        if (evicted > 0) {
            settings.listener.eventsDropped(evicted, "queue_full");
        }
        if (disk.size() >= settings.maxBatch) {
            sender.wake();
        }
    }

    /** Once the memory queue is empty: save the session and force the files when the sync interval has passed. */
    private void afterDrain() {
        long now = System.currentTimeMillis();
        try {
            sessions.save(false);
            if (unsynced && now - lastSyncMillis >= settings.syncIntervalMillis) {
                disk.sync();
                lastSyncMillis = now;
                unsynced = false;
            }
        } catch (IOException ex) {
            settings.listener.eventsDropped(0, "sync_error: " + ex);
        }
        synchronized (this) {
            notifyAll(); // for awaitWritten
        }
    }

    /** Waits until every event offered before this call is on disk (or dropped); false on timeout. */
    boolean awaitWritten(long timeoutMillis) throws InterruptedException {
        long target = offered.get();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        LockSupport.unpark(thread);
        synchronized (this) {
            while (handled.get() < target) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !thread.isAlive()) {
                    return handled.get() >= target;
                }
                wait(Math.min(left, 50));
            }
        }
        return true;
    }

    /** Stops after writing everything already queued; waits at most {@code timeoutMillis}. */
    void stop(long timeoutMillis) throws InterruptedException {
        stopping = true;
        LockSupport.unpark(thread);
        thread.join(Math.max(1, timeoutMillis));
    }

    int pending() {
        return Math.max(0, pending.get());
    }
}
