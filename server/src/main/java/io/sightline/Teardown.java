package io.sightline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What has been started, as a stack: each part is pushed as soon as it runs, and {@link #close} stops them in
 * reverse order. The same unwinding serves a normal stop and a start that fails halfway, so a failed start leaves
 * no pool, thread, port or child process behind. A part that fails to stop does not keep the others running.
 */
final class Teardown implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Teardown.class);

    private record Part(String name, AutoCloseable stop) {}

    private final Deque<Part> parts = new ArrayDeque<>();

    /** Registers how to stop a part that has just started. */
    synchronized void push(String name, AutoCloseable stop) {
        parts.push(new Part(name, stop));
    }

    /** Stops everything pushed, newest first; a failure is logged and the rest still stop. */
    @Override
    public void close() {
        Part part;
        while ((part = pop()) != null) {
            try {
                part.stop().close();
            } catch (Exception e) {
                log.warn("Stopping {} failed", part.name(), e);
            }
        }
    }

    /**
     * Stops everything pushed, newest first, and adds each failure to {@code startFailure} as suppressed: for a
     * start that failed halfway, whose own exception is what the caller must see.
     */
    void closeAfter(Throwable startFailure) {
        Part part;
        while ((part = pop()) != null) {
            try {
                part.stop().close();
            } catch (Exception e) {
                startFailure.addSuppressed(e);
            }
        }
    }

    /** The names still to stop, newest first (for tests and the stop log). */
    synchronized List<String> names() {
        return parts.stream().map(Part::name).toList();
    }

    private synchronized Part pop() {
        return parts.poll();
    }
}
