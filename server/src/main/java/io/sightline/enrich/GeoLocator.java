package io.sightline.enrich;

import java.util.Optional;

/** Finds where an IP address is. Implementations are thread-safe and never throw for a lookup. */
public interface GeoLocator {

    /**
     * @param ip a textual IPv4 or IPv6 address the caller has already validated, e.g. "203.0.113.7" or
     *           "2001:db8::1"; anything else (notably a host name) gives empty and is never resolved
     * @return empty when the address is unknown to the database or cannot be looked up
     */
    Optional<GeoFacts> locate(String ip);

    /** The locator used when no database is configured. */
    static GeoLocator none() {
        return ip -> Optional.empty();
    }
}
