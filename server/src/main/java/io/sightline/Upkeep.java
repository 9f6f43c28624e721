package io.sightline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One thread for the hourly, idempotent chores (the next partitions, the salt rotation). */
final class Upkeep implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Upkeep.class);

    /** A chore that may run any number of times; a failure is logged and the next hour tries again. */
    interface Chore {
        void run() throws Exception;
    }

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(Shared.daemon("upkeep"));

    void hourly(String what, Chore chore) {
        thread.scheduleAtFixedRate(() -> {
            try {
                chore.run();
            } catch (Exception e) {
                log.warn("{} failed; retrying within the hour: {}", what, e.getMessage());
            }
        }, 1, 1, TimeUnit.HOURS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
