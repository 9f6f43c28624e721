package io.sightline.enrich;

import java.time.Instant;

/**
 * What the HTTP request tells about the sender of its events. {@code clientIp} is the raw address: steps
 * may look it up or hash it, never keep it; {@link #toString()} leaves it and the User-Agent out so that
 * no log line can carry them. {@code clientIp} and {@code userAgent} may be null.
 *
 * @param optedOut the request carried {@code DNT: 1} or {@code Sec-GPC: 1}
 */
public record RequestFacts(long appId, String clientIp, String userAgent, boolean optedOut, Instant receivedAt,
                           Salts salts) {
    @Override
    public String toString() {
        return "RequestFacts[appId=" + appId + ", optedOut=" + optedOut + ", receivedAt=" + receivedAt + "]";
    }
}
