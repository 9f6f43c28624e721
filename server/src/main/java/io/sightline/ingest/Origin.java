package io.sightline.ingest;

/**
 * Where a request came from, as the transport saw it: the socket's peer, the proxies' {@code X-Forwarded-For},
 * the User-Agent and the opt-out signals ({@code DNT}, {@code Sec-GPC}). Any of them may be null. The address is
 * used for GeoIP and hashed; it is never stored or logged, so this record does not print its fields.
 */
public record Origin(String peerAddress, String forwardedFor, String userAgent, String doNotTrack,
                     String globalPrivacyControl) {
    @Override
    public String toString() {
        return "Origin[…]";
    }
}
