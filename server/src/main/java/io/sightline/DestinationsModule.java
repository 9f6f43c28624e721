package io.sightline;

import io.sightline.auth.AppStore;
import io.sightline.config.Config;
import io.sightline.destinations.Backoff;
import io.sightline.destinations.ClientDataCipher;
import io.sightline.destinations.DeliveryHandler;
import io.sightline.destinations.DeliveryHealth;
import io.sightline.destinations.DeliveryHealthHandler;
import io.sightline.destinations.DeliveryStore;
import io.sightline.destinations.DestinationHandler;
import io.sightline.destinations.DestinationService;
import io.sightline.destinations.DestinationStore;
import io.sightline.destinations.DestinationType;
import io.sightline.destinations.Forwarder;
import io.sightline.destinations.Platform;
import io.sightline.destinations.SecretCipher;
import io.sightline.destinations.SecretKeyFile;
import io.sightline.destinations.platforms.Ga4Destination;
import io.sightline.destinations.platforms.GoogleAdsDestination;
import io.sightline.destinations.platforms.LinkedInDestination;
import io.sightline.destinations.platforms.MetaDestination;
import io.sightline.destinations.platforms.UmamiDestination;
import io.sightline.destinations.platforms.XDestination;
import io.sightline.http.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;
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
    private final DeliveryHandler deliveries;
    private final DeliveryHealthHandler health;

    private DestinationsModule(DestinationStore store, DestinationHandler handler, DeliveryHandler deliveries,
                               DeliveryHealthHandler health) {
        this.store = store;
        this.handler = handler;
        this.deliveries = deliveries;
        this.health = health;
    }

    /** The client of each platform, at the base URLs the settings give (the platforms' own by default). */
    static Map<DestinationType, Platform> platformClients(Config.Forwarding settings, Clock clock) {
        // Redirects are not followed: a platform API does not redirect, and a token must not follow one elsewhere.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return Map.of(
                DestinationType.META, new MetaDestination(http,
                        settings.metaBaseUrl().orElse(MetaDestination.DEFAULT_BASE_URL), clock),
                DestinationType.GOOGLE_ADS, new GoogleAdsDestination(http,
                        settings.googleAdsBaseUrl().orElse(GoogleAdsDestination.DEFAULT_BASE_URL),
                        settings.googleOauthUrl().orElse(GoogleAdsDestination.DEFAULT_OAUTH_URL), clock),
                DestinationType.GA4, new Ga4Destination(http,
                        settings.ga4BaseUrl().orElse(Ga4Destination.DEFAULT_BASE_URL), clock),
                DestinationType.LINKEDIN, new LinkedInDestination(http,
                        settings.linkedinBaseUrl().orElse(LinkedInDestination.DEFAULT_BASE_URL), clock),
                DestinationType.X, new XDestination(http, settings.xBaseUrl().orElse(XDestination.DEFAULT_BASE_URL), clock),
                DestinationType.UMAMI, new UmamiDestination(http));
    }

    /** The cipher of destination credentials and client data, with the key from the settings or the data directory. */
    static SecretCipher cipher(Config config) {
        return new SecretCipher(SecretKeyFile.load(config.forwarding().secretKey(), config.database().dataDirectory()));
    }

    static DestinationsModule build(Shared shared, AppStore apps, Map<DestinationType, Platform> platforms,
                                    SecretCipher cipher, ClientDataCipher clientData, IntSupplier ingestLoad) throws SQLException {
        var config = shared.config();
        DestinationStore store = new DestinationStore(shared.database().dataSource(), cipher, shared.clock());
        // A changed key does not stop the server (ingestion does not depend on it), but it must not go unnoticed.
        List<Long> unreadable = store.unreadable();
        if (!unreadable.isEmpty()) {
            log.error("The credentials of destinations {} cannot be decrypted with this secret key; they are not"
                    + " forwarded to until an admin gives their credentials again (or the key they were written"
                    + " with is restored)", unreadable);
        }
        DestinationService service = new DestinationService(store, apps, platforms);
        var dataSource = shared.database().dataSource();
        DeliveryStore deliveryStore = new DeliveryStore(dataSource);
        Config.Forwarding settings = config.forwarding();
        if (settings.worker()) {
            Forwarder forwarder = new Forwarder(dataSource, store::enabled, platforms, deliveryStore,
                    new Backoff(settings.backoffBase(), Duration.ofHours(1), Math::random), shared.metrics(),
                    shared.clock(), new Forwarder.Settings(1000, Duration.ofMillis(100), settings.sendTimeout(),
                            settings.maxAttempts(), Duration.ofDays(30)), shared.mapper(), clientData, ingestLoad);
            shared.teardown().push("forwarder", forwarder);
            forwarder.start();
        } else {
            log.info("The delivery worker is off on this instance (SIGHTLINE_FORWARDING=false)");
        }
        DeliveryHandler deliveries = new DeliveryHandler(deliveryStore,
                (app, dest) -> store.find(app, dest).isPresent(), shared.mapper(), shared.clock());
        DeliveryHealthHandler health = new DeliveryHealthHandler(new DeliveryHealth(dataSource, apps, store,
                shared.clock()));
        return new DestinationsModule(store, new DestinationHandler(service, shared.mapper()), deliveries, health);
    }

    /** The health route first: routes match in declaration order, and {@code destinations/{dest}} would take it. */
    Routes routes() {
        return table -> {
            health.routes(table);
            handler.routes(table);
        };
    }

    Routes deliveryRoutes() {
        return deliveries::routes;
    }
}
