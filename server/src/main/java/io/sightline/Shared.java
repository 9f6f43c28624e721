package io.sightline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.config.Config;
import io.sightline.ops.Metrics;
import io.sightline.store.Database;

import java.time.Clock;
import java.util.concurrent.ThreadFactory;

/**
 * The few parts every feature module is built from, besides its own settings: the clock, the migrated database,
 * the metrics, the JSON mapper, the hourly upkeep thread, and the {@link Teardown} each module pushes what it
 * starts onto.
 */
record Shared(Config config, Clock clock, Database database, Metrics metrics, ObjectMapper mapper, Upkeep upkeep,
              Teardown teardown) {

    /** Threads of a part: named after it, and daemons, so a forgotten one never keeps the process alive. */
    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }
}
