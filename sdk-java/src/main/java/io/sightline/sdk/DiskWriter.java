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
 * appends it to the {@link DiskQueue}. Callers only add to a lock-free queue and count.
 *
 * <p>Waking a parked thread is a system call of a few microseconds, more than the rest of a tracking call, so
 * callers do not wake the writer while it is active: for {@code ACTIVE_MILLIS} after its last event it looks
 * for new ones every {@code POLL_NANOS} by itself. Only then does it sleep until a caller wakes it, which the
 * {@code sleeping} flag tells callers (set before the writer's last look at the count, read by callers after
 * counting, so one of the two always sees the other).
 */
final class DiskWriter implements Runnable {
    private static final int DRAIN = 500;
    private static final long POLL_NANOS = 2_000_000;
    private static final long ACTIVE_MILLIS = 1_000;

    private final ConcurrentLinkedQueue<PendingEvent> queue = new ConcurrentLinkedQueue<>();
    /** Events counted by callers and not yet handled by the writer; at least the queue's size. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong handled = new AtomicLong();
    private final DiskQueue disk;
    private final EventEncoder encoder;
    private final Sessions sessions;
    private final String visitorId;
    private final Sender sender;
    private final SightlineBuilder settings;
    private final Counters counters;
    private volatile Thread thread;
    private volatile boolean stopping;
    /** The writer waits for a caller to wake it: read by every caller, so it changes only at idle spells. */
    private volatile boolean sleeping;
    private long lastWriteMillis;
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
        pending.getAndIncrement();
        queue.offer(e);
        if (sleeping) {
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
                lastWriteMillis = System.currentTimeMillis();
                int n = taken.size();
                taken.clear();
                // Uncounted before counted as handled: awaitWritten may miss an event in between, never count it twice.
                int left = pending.addAndGet(-n);
                handled.addAndGet(n);
                if (left > 0) {
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
            if (System.currentTimeMillis() - lastWriteMillis < ACTIVE_MILLIS) {
                LockSupport.parkNanos(this, POLL_NANOS);
                continue;
            }
            sleeping = true;
            if (pending.get() == 0) {
                if (unsynced) {
                    LockSupport.parkNanos(this, settings.syncIntervalMillis * 1_000_000L); // then force what is left
                } else {
                    LockSupport.park(this);
                }
            }
            sleeping = false;
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

    /** Waits until every event counted before this call is on disk (or dropped); false on timeout. */
    boolean awaitWritten(long timeoutMillis) throws InterruptedException {
        long target = handled.get() + pending.get(); // every event counted so far, written or not
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
