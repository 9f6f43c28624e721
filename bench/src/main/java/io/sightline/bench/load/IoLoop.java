package io.sightline.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One thread, one selector, a group of connections. Waits in {@code select} for socket events or for the
 * earliest connection deadline (a due request, a reopen), whichever comes first.
 *
 * <p>Selector timeouts are whole milliseconds, so in fixed-rate mode a request goes out up to about 1 ms after
 * it fell due, and that delay is part of its latency, as in wrk2. Spinning would be more punctual but would
 * spend the very CPU the server needs.
 */
final class IoLoop implements Runnable {
    /** Upper bound on one select, so a failure in another loop stops this one promptly. */
    private static final long LONGEST_SELECT_MILLIS = 100;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Selector selector;
    private final Connection[] connections;
    private final Timeline timeline;
    private final LoopStats stats;
    private final AtomicReference<Throwable> failure;
    private final Consumer<SelectionKey> onReady = this::onReady; // one instance, so select(Consumer) allocates nothing
    private long nextDeadline;

    IoLoop(InetSocketAddress address, RequestSource source, LoadPlan plan, int firstConnection, Timeline timeline,
           AtomicReference<Throwable> failure) throws IOException {
        this.selector = Selector.open();
        this.timeline = timeline;
        this.stats = new LoopStats(timeline);
        this.failure = failure;
        int count = (plan.connections() - firstConnection + plan.ioThreads() - 1) / plan.ioThreads();
        this.connections = new Connection[count];
        for (int i = 0; i < count; i++) {
            int index = firstConnection + i * plan.ioThreads();
            Schedule schedule = Schedule.forConnection(plan.mode(), index, plan.connections(), timeline.start());
            connections[i] = new Connection(selector, address, source, schedule, stats);
        }
    }

    LoopStats stats() {
        return stats;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        } finally {
            for (Connection connection : connections) {
                stats.overdue(connection.overdueAt(timeline.end()));
                connection.close();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private void loop() throws IOException {
        long now = System.nanoTime();
        for (Connection connection : connections) {
            connection.open(now);
        }
        long cpuAtMeasureStart = -1;
        nextDeadline = now;
        while (failure.get() == null) {
            now = System.nanoTime();
            if (now >= timeline.end()) {
                break;
            }
            if (cpuAtMeasureStart < 0 && now >= timeline.measureStart()) {
                cpuAtMeasureStart = THREADS.getCurrentThreadCpuTime();
            }
            if (now >= nextDeadline) {
                nextDeadline = runDeadlines(now);
            }
            long wakeAt = Math.min(nextDeadline, cpuAtMeasureStart < 0 ? timeline.measureStart() : timeline.end());
            long waitNanos = wakeAt - now;
            if (waitNanos <= 0) {
                selector.selectNow(onReady);
            } else {
                selector.select(onReady, Math.min(LONGEST_SELECT_MILLIS, ceilMillis(waitNanos)));
            }
        }
        if (cpuAtMeasureStart >= 0) {
            stats.cpu(THREADS.getCurrentThreadCpuTime() - cpuAtMeasureStart);
        }
    }

    private long runDeadlines(long now) {
        long next = Long.MAX_VALUE;
        for (Connection connection : connections) {
            if (connection.deadline(now) <= now) {
                connection.onDeadline(now);
            }
            next = Math.min(next, connection.deadline(now));
        }
        return next;
    }

    private void onReady(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        long now = System.nanoTime();
        connection.onReady(key, now);
        nextDeadline = Math.min(nextDeadline, connection.deadline(now));
    }

    private static long ceilMillis(long nanos) {
        return (nanos + TimeUnit.MILLISECONDS.toNanos(1) - 1) / TimeUnit.MILLISECONDS.toNanos(1);
    }
}
