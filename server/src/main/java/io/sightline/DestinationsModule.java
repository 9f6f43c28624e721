package io.sightline;

import io.sightline.auth.AppStore;
import io.sightline.destinations.DestinationHandler;
import io.sightline.destinations.DestinationService;
import io.sightline.destinations.DestinationStore;
import io.sightline.destinations.DestinationType;
import io.sightline.destinations.Platform;
import io.sightline.destinations.SecretCipher;
import io.sightline.destinations.SecretKeyFile;
import io.sightline.http.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Destinations per app (the {@code destinations} feature): the key that seals their credentials (from
 * {@code SIGHTLINE_SECRET_KEY} or the data directory's {@code secret.key}), their store, and their admin routes,
 * validated by the platform client of each type in {@code platforms}.
 */
final class DestinationsModule {
    private static final Logger log = LoggerFactory.getLogger(DestinationsModule.class);

    final DestinationStore store;
    private final DestinationHandler handler;

    private DestinationsModule(DestinationStore store, DestinationHandler handler) {
        this.store = store;
        this.handler = handler;
    }

    static DestinationsModule build(Shared shared, AppStore apps, Map<DestinationType, Platform> platforms)
            throws SQLException {
        var config = shared.config();
        SecretCipher cipher = new SecretCipher(
                SecretKeyFile.load(config.forwarding().secretKey(), config.database().dataDirectory()));
        DestinationStore store = new DestinationStore(shared.database().dataSource(), cipher, shared.clock());
        // A changed key does not stop the server (ingestion does not depend on it), but it must not go unnoticed.
        List<Long> unreadable = store.unreadable();
        if (!unreadable.isEmpty()) {
            log.error("The credentials of destinations {} cannot be decrypted with this secret key; they are not"
                    + " forwarded to until an admin gives their credentials again (or the key they were written"
                    + " with is restored)", unreadable);
        }
        DestinationService service = new DestinationService(store, apps, platforms);
        return new DestinationsModule(store, new DestinationHandler(service, shared.mapper()));
    }

    Routes routes() {
        return handler::routes;
    }
}
