package io.sightline.enrich;

import java.util.Optional;

/**
 * One request's GeoIP answer: looked up when the first event needs it, then reused by every other event of the
 * request (a batch of 500 events comes from one address). A request is enriched by one thread at a time, so the
 * memo needs no lock. Its {@link #toString()} leaves the address out.
 */
public final class GeoMemo {
    /** No address or no database: nothing to look up. */
    public static final GeoMemo NONE = new GeoMemo(GeoLocator.none(), null);

    private final GeoLocator locator;
    private final String clientIp;
    private Optional<GeoFacts> answer;

    public GeoMemo(GeoLocator locator, String clientIp) {
        this.locator = locator;
        this.clientIp = clientIp;
    }

    public Optional<GeoFacts> get() {
        if (answer == null) {
            answer = clientIp == null ? Optional.empty() : locator.locate(clientIp);
        }
        return answer;
    }

    @Override
    public String toString() {
        return "GeoMemo[…]";
    }
}
