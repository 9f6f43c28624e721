package io.sightline.store;

import io.sightline.error.StorageUnavailable;
import io.sightline.store.WriteRejectedException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: request threads {@link #submit} rows into a bounded queue and get a future; a writer thread
 * takes everything waiting (up to a cap), claims the events' ids and COPYs those whose id is new into
 * {@code analytics_events} (see {@link BatchCommitter}) and commits once. Each future completes
 * only after that commit, so an acknowledgement always means "durably stored"; many requests share one
 * transaction, which is where the throughput comes from. No request thread ever waits on the database.
 *
 * <p>The first writer takes whatever waits; further writers (each with its own connection) join only while a
 * backlog builds up, see {@link #BACKLOG_FOR_MORE_WRITERS}.
 *
 * <p>When the queue is full, or the database is known to be down, {@code submit} refuses at once instead of
 * queueing work that cannot finish: the caller answers 503 and the client retries.
 */
public final class EventWriter implements EventSink {
    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

    private final Database database;
    private final int capacityEvents;
    private final int maxEventsPerCommit;
    private final int helperBacklog;
    private final WriterListener listener;
    /**
     * Writers after the first take work only once this many events wait. Under light load one writer then
     * makes commits as large as group commit allows (a second one would split them and pay an fsync each);
     * under a backlog, such as 100-event batches, the others share it. Measured: with an always-on second
     * writer, /track p99 at half load rose from ~12 to ~40 ms.
     */
    private static final int BACKLOG_FOR_MORE_WRITERS = 500;
    /** Rows are encoded by the submitting thread, so a writer thread only streams bytes to PostgreSQL. */
    private static final ThreadLocal<CopyRowEncoder> ENCODERS = ThreadLocal.withInitial(CopyRowEncoder::new);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    /** Where writers after the first wait: signalled only when a backlog builds, so light load wakes one thread. */
    private final Condition backlogged = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int queuedEvents;
    private boolean accepting = true;
    private boolean stopping;
    private volatile boolean databaseUp = true;
    private volatile double eventsPerCommit;
    private volatile long lastCommitNanos = System.nanoTime() - QUIET_AFTER_NANOS;
    private static final long QUIET_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private final List<Thread> threads = new ArrayList<>();

    /** One submission, already in COPY text form. */
    private record Pending(EncodedRows rows, CompletableFuture<Void> done) {
        int events() {
            return rows.size();
        }
    }

    public EventWriter(Database database, PartitionManager partitions, int capacityEvents, int maxEventsPerCommit,
                       int writerThreads, WriterListener listener) {
        this(database, partitions, capacityEvents, maxEventsPerCommit, writerThreads, listener, LateEventMarks.DEFAULT);
    }

    public EventWriter(Database database, PartitionManager partitions, int capacityEvents, int maxEventsPerCommit,
                       int writerThreads, WriterListener listener, LateEventMarks late) {
        this.database = database;
        this.capacityEvents = capacityEvents;
        this.maxEventsPerCommit = maxEventsPerCommit;
        this.helperBacklog = Math.min(BACKLOG_FOR_MORE_WRITERS, maxEventsPerCommit);
        this.listener = listener;
        for (int i = 0; i < writerThreads; i++) {
            // Each writer has its own connection and transaction; all of them take from the one queue.
            BatchCommitter committer = new BatchCommitter(database.dataSource(), partitions, late);
            int backlog = i == 0 ? 1 : helperBacklog;
            threads.add(new Thread(() -> run(committer, backlog), "event-writer-" + i));
        }
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    /**
     * Queues rows for the next commit. The future completes after they are durably stored, or exceptionally
     * with {@link WriteRejectedException}; the call itself throws it when the rows cannot even be queued.
     */
    @Override
    public CompletableFuture<Void> submit(List<EventRow> rows) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Pending pending = new Pending(EncodedRows.encode(rows, ENCODERS.get()), done);
        lock.lock();
        try {
            if (!accepting) {
                throw new WriteRejectedException(Reason.SHUTTING_DOWN, null);
            }
            if (!databaseUp) {
                throw new WriteRejectedException(Reason.DATABASE_UNAVAILABLE, null);
            }
            if (queuedEvents + rows.size() > capacityEvents) {
                throw new WriteRejectedException(Reason.QUEUE_FULL, null);
            }
            queue.add(pending);
            queuedEvents += rows.size();
            notEmpty.signal();
            if (queuedEvents >= helperBacklog) {
                backlogged.signal();
            }
        } finally {
            lock.unlock();
        }
        return done;
    }

    /**
     * The events the recent commits carried, smoothed, or 0 when nothing was committed in the last quarter second:
     * how hard ingestion is pressed. Group commit makes it a clean signal: a few events per commit while the
     * writer keeps up, hundreds once requests queue behind it. Work that shares the machine (forwarding) steps
     * back while it is high.
     */
    public int recentEventsPerCommit() {
        return System.nanoTime() - lastCommitNanos > QUIET_AFTER_NANOS ? 0 : (int) eventsPerCommit;
    }

    public int queuedEvents() {
        lock.lock();
        try {
            return queuedEvents;
        } finally {
            lock.unlock();
        }
    }

    public int capacityEvents() {
        return capacityEvents;
    }

    public boolean databaseUp() {
        return databaseUp;
    }

    /** Refuses new submissions, commits everything already queued, then stops the writer threads. */
    public boolean drain(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            accepting = false;
            stopping = true;
            notEmpty.signalAll();
            backlogged.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    private void run(BatchCommitter committer, int backlog) {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                if (!take(batch, backlog)) {
                    committer.close();
                    return;
                }
                write(committer, batch);
            } catch (InterruptedException e) {
                committer.close();
                failAll(batch, Reason.SHUTTING_DOWN, null);
                failQueued(Reason.SHUTTING_DOWN, null);
                return;
            } catch (RuntimeException | Error e) {
                // A bug must not kill a writer: fail what it held and carry on.
                log.error("The event writer failed unexpectedly", e);
                failAll(batch, Reason.STORAGE_ERROR, e);
            }
            batch.clear();
        }
    }

    /**
     * Waits until at least {@code backlog} events are queued (1 for the first writer) and takes whole
     * submissions up to the commit cap; false when stopped and empty.
     */
    private boolean take(List<Pending> batch, int backlog) throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() || (queuedEvents < backlog && !stopping)) {
                if (stopping) {
                    return false;
                }
                (backlog > 1 ? backlogged : notEmpty).await();
            }
            int events = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || events + queue.peek().events() <= maxEventsPerCommit)) {
                Pending p = queue.poll();
                events += p.events();
                batch.add(p);
            }
            queuedEvents -= events;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void write(BatchCommitter committer, List<Pending> batch) throws InterruptedException {
        int events = count(batch);
        long start = System.nanoTime();
        try {
            List<EncodedRows> parts = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                parts.add(p.rows());
            }
            committer.commit(parts);
            listener.committed(events, System.nanoTime() - start);
            // Several writers may race here; an approximate average is all the readers need.
            eventsPerCommit = eventsPerCommit * 0.8 + events * 0.2;
            lastCommitNanos = System.nanoTime();
            for (Pending p : batch) {
                p.done().complete(null);
            }
        } catch (SQLException e) {
            if (StorageUnavailable.isUnavailable(e)) {
                log.warn("PostgreSQL is unreachable ({}); refusing events until it answers again", e.getMessage());
                markDown();
                failAll(batch, Reason.DATABASE_UNAVAILABLE, e);
                failQueued(Reason.DATABASE_UNAVAILABLE, e);
                awaitDatabase();
            } else if (batch.size() > 1) {
                // Isolate the submission PostgreSQL refuses so the others are still stored.
                for (Pending p : batch) {
                    write(committer, List.of(p));
                }
            } else {
                log.error("PostgreSQL refused a submission of {} events (SQLState {})", events, e.getSQLState(), e);
                failAll(batch, Reason.STORAGE_ERROR, e);
            }
        }
    }

    private void markDown() {
        lock.lock();
        try {
            databaseUp = false;
        } finally {
            lock.unlock();
        }
    }

    /** Polls until PostgreSQL answers again (or the server stops); meanwhile submit() refuses at once. */
    private void awaitDatabase() throws InterruptedException {
        while (!database.reachable()) {
            lock.lock();
            try {
                if (stopping) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        databaseUp = true;
        log.info("PostgreSQL answers again; accepting events");
    }

    private void failQueued(Reason reason, Throwable cause) {
        List<Pending> failed;
        lock.lock();
        try {
            failed = new ArrayList<>(queue);
            queue.clear();
            queuedEvents = 0;
        } finally {
            lock.unlock();
        }
        failAll(failed, reason, cause);
    }

    private void failAll(List<Pending> batch, Reason reason, Throwable cause) {
        if (batch.isEmpty()) {
            return;
        }
        for (Pending p : batch) {
            p.done().completeExceptionally(new WriteRejectedException(reason, cause));
        }
    }

    private static int count(List<Pending> batch) {
        int n = 0;
        for (Pending p : batch) {
            n += p.events();
        }
        return n;
    }

}
