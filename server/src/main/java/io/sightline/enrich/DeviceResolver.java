package io.sightline.enrich;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Turns a User-Agent into {@link DeviceFacts}, possibly later: ingestion continues when the future completes, so no
 * request thread waits for a parse. A User-Agent seen before completes at once. An optional integration:
 * {@link #none()} costs nothing, and the root measures and closes any resolver the same way.
 */
public interface DeviceResolver extends AutoCloseable {
    CompletableFuture<DeviceFacts> resolve(String userAgent);

    /** Lookup counts by result, for the metrics; none when the resolver keeps no counts. */
    default Map<String, LongSupplier> lookupCounts() {
        return Map.of();
    }

    /** Stops what the resolver runs (its parser threads); never throws. */
    @Override
    default void close() {
    }

    /** Device detection off: every User-Agent is unknown and no event counts as a bot. */
    static DeviceResolver none() {
        CompletableFuture<DeviceFacts> unknown = CompletableFuture.completedFuture(DeviceFacts.UNKNOWN);
        return userAgent -> unknown;
    }
}
