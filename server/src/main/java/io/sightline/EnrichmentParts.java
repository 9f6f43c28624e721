package io.sightline;

import io.sightline.config.Config;
import io.sightline.enrich.BotFilter;
import io.sightline.enrich.ConsentStep;
import io.sightline.enrich.DeviceDetector;
import io.sightline.enrich.DeviceResolver;
import io.sightline.enrich.DeviceStep;
import io.sightline.enrich.Enricher;
import io.sightline.enrich.GeoLocator;
import io.sightline.enrich.GeoStep;
import io.sightline.enrich.IpHashStep;
import io.sightline.enrich.MaxMindGeoLocator;
import io.sightline.enrich.Sessions;
import io.sightline.enrich.VisitorStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The composition root's enrichment parts, each built only as its settings ask (part of {@link Sightline}). */
final class EnrichmentParts {
    private static final Logger log = LoggerFactory.getLogger(Sightline.class);

    private EnrichmentParts() {
    }

    static CompletableFuture<DeviceResolver> deviceDetection(Config.Enrich config) {
        if (!config.deviceDetection()) {
            log.info("Device detection is off (SIGHTLINE_DEVICE_DETECTION=false): device facts come only from"
                    + " clients, and bots are not recognised");
            return CompletableFuture.completedFuture(DeviceResolver.none());
        }
        CompletableFuture<DeviceResolver> built = new CompletableFuture<>();
        Thread builder = new Thread(() -> {
            try {
                long started = System.nanoTime();
                DeviceDetector detector = new DeviceDetector(config.userAgentCache(), config.botUserAgents());
                log.info("Device detection ready in {} ms", (System.nanoTime() - started) / 1_000_000);
                built.complete(detector);
            } catch (Throwable e) {
                built.completeExceptionally(e);
            }
        }, "device-detector-build");
        builder.setDaemon(true);
        builder.start();
        return built;
    }

    static GeoLocator geoLocator(Config.Enrich config) {
        if (config.geoipDatabase().isEmpty()) {
            log.info("No GeoIP database (SIGHTLINE_GEOIP_DATABASE is not set): country, region and city come only"
                    + " from clients");
            return GeoLocator.none();
        }
        MaxMindGeoLocator geo = new MaxMindGeoLocator(config.geoipDatabase().get(), config.geoipCacheBlocks());
        log.info("GeoIP database {} built {}", geo.databaseType(), geo.buildDate());
        return geo;
    }

    static Enricher enricher(Config.Enrich config) {
        return new Enricher(List.of(
                new ConsentStep(config.adsConsentByDefault(), config.honourOptOut()),
                new BotFilter(config.keepBots()),
                new GeoStep(config.locationDecimals()),
                new DeviceStep(),
                new VisitorStep(new Sessions(config.sessionTimeout(), config.sessionCapacity())),
                new IpHashStep()));
    }
}
