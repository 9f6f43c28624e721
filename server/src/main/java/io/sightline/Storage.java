package io.sightline;

import io.sightline.config.Config;
import io.sightline.store.Database;
import io.sightline.store.EmbeddedDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded PostgreSQL (when no URL is configured) and the migrated pool over it; closing stops both. */
record Storage(EmbeddedDatabase embedded, Database database) implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Storage.class);

    static Storage open(Config config) throws Exception {
        EmbeddedDatabase embedded = null;
        String url;
        String user;
        String password;
        if (config.database().embedded()) {
            embedded = EmbeddedDatabase.start(config.database().dataDirectory(), config.database().embeddedPort());
            url = embedded.jdbcUrl();
            user = embedded.user();
            password = embedded.password();
        } else {
            url = config.database().url().orElseThrow();
            user = config.database().user();
            password = config.database().password();
        }
        try {
            return new Storage(embedded, Database.open(url, user, password, config.database().poolSize()));
        } catch (RuntimeException e) {
            stopEmbedded(embedded);
            throw e;
        }
    }

    @Override
    public void close() {
        database.close();
        stopEmbedded(embedded);
    }

    private static void stopEmbedded(EmbeddedDatabase embedded) {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (Exception e) {
            log.warn("Stopping the embedded PostgreSQL failed: {}", e.getMessage());
        }
    }
}
