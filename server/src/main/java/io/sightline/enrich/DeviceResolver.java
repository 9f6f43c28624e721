package io.sightline.enrich;

import java.util.concurrent.CompletableFuture;

/**
 * Turns a User-Agent into {@link DeviceFacts}, possibly later: ingestion continues when the future completes, so no
 * request thread waits for a parse. A User-Agent seen before completes at once.
 */
public interface DeviceResolver {
    CompletableFuture<DeviceFacts> resolve(String userAgent);

    /** Device detection off: every User-Agent is unknown and no event counts as a bot. */
    static DeviceResolver none() {
        CompletableFuture<DeviceFacts> unknown = CompletableFuture.completedFuture(DeviceFacts.UNKNOWN);
        return userAgent -> unknown;
    }
}
