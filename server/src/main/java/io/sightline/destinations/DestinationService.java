package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.auth.AppStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * An app's destinations for the admin API: validates each body against the platform of its type
 * ({@link DestinationRequest}) and stores it ({@link DestinationStore}). An unknown app, or a destination of another
 * app, is {@link DestinationError.Reason#NOT_FOUND}. Changes are logged by id, type and name, never with a value.
 */
public final class DestinationService {
    private static final Logger log = LoggerFactory.getLogger(DestinationService.class);

    private final DestinationStore store;
    private final AppStore apps;
    private final Map<DestinationType, Platform> platforms;

    public DestinationService(DestinationStore store, AppStore apps, Map<DestinationType, Platform> platforms) {
        this.store = store;
        this.apps = apps;
        this.platforms = Map.copyOf(platforms);
    }

    public Destination create(long appId, JsonNode body) throws SQLException {
        requireApp(appId);
        DestinationDraft draft = DestinationRequest.create(body, DestinationRequest.platform(body, platforms));
        Destination created = store.insert(appId, draft);
        log.info("Destination {} ({}, \"{}\") of app {} created, {}", created.id(), created.type().wireName(),
                created.name(), appId, created.enabled() ? "enabled" : "disabled");
        return created;
    }

    public List<Destination> list(long appId) throws SQLException {
        requireApp(appId);
        return store.list(appId);
    }

    public Destination get(long appId, long id) throws SQLException {
        requireApp(appId);
        return store.find(appId, id).orElseThrow(DestinationService::notFound);
    }

    public Destination update(long appId, long id, JsonNode body) throws SQLException {
        requireApp(appId);
        Destination updated = store.update(appId, id, current -> DestinationRequest.patch(body,
                        DestinationRequest.supported(current.destination().type(), platforms), current))
                .orElseThrow(DestinationService::notFound);
        log.info("Destination {} ({}, \"{}\") of app {} updated, {}", updated.id(), updated.type().wireName(),
                updated.name(), appId, updated.enabled() ? "enabled" : "disabled");
        return updated;
    }

    public void delete(long appId, long id) throws SQLException {
        requireApp(appId);
        if (!store.delete(appId, id)) {
            throw notFound();
        }
        log.info("Destination {} of app {} deleted", id, appId);
    }

    private void requireApp(long appId) throws SQLException {
        if (apps.byId(appId).isEmpty()) {
            throw new DestinationError(DestinationError.Reason.NOT_FOUND, "app", "no app with that id");
        }
    }

    private static DestinationError notFound() {
        return new DestinationError(DestinationError.Reason.NOT_FOUND, "dest", "this app has no destination with that id");
    }
}
