package io.sightline.enrich;

import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Finds where an IP address is. Implementations are thread-safe and never throw for a lookup. An optional
 * integration: {@link #none()} costs nothing, and the root measures and closes any locator the same way.
 */
public interface GeoLocator extends AutoCloseable {

    /**
     * @param ip a textual IPv4 or IPv6 address the caller has already validated, e.g. "203.0.113.7" or
     *           "2001:db8::1"; anything else (notably a host name) gives empty and is never resolved
     * @return empty when the address is unknown to the database or cannot be looked up
     */
    Optional<GeoFacts> locate(String ip);

    /** Lookup counts by result, for the metrics; none when the locator keeps no counts. */
    default Map<String, LongSupplier> lookupCounts() {
        return Map.of();
    }

    /** Releases what the locator holds (a memory-mapped file); never throws. */
    @Override
    default void close() {
    }

    /** The locator used when no database is configured. */
    static GeoLocator none() {
        return ip -> Optional.empty();
    }
}
