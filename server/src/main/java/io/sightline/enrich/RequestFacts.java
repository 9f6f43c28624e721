package io.sightline.enrich;

import java.time.Instant;

/**
 * What the HTTP request tells about the sender of its events. {@code clientIp} is the raw address: steps
 * may look it up or hash it, never keep it; {@link #toString()} leaves it and the User-Agent out so that
 * no log line can carry them. {@code clientIp} and {@code userAgent} may be null.
 *
 * @param optedOut the request carried {@code DNT: 1} or {@code Sec-GPC: 1}
 * @param device   what the User-Agent says, resolved before the steps run (see {@link DeviceDetector#resolve})
 * @param geo      the client address's GeoIP answer, looked up once per request
 * @param ids      the sender's IP hash and derived visitor ids, computed once per request
 */
public record RequestFacts(long appId, String clientIp, String userAgent, boolean optedOut, Instant receivedAt,
                           Salts salts, DeviceFacts device, GeoMemo geo, SenderIds ids) {
    /** A new request's facts, with nothing derived yet. */
    public RequestFacts(long appId, String clientIp, String userAgent, boolean optedOut, Instant receivedAt,
                        Salts salts, DeviceFacts device, GeoMemo geo) {
        this(appId, clientIp, userAgent, optedOut, receivedAt, salts, device, geo, new SenderIds());
    }

    /** The same request with its User-Agent resolved. */
    public RequestFacts withDevice(DeviceFacts resolved) {
        return new RequestFacts(appId, clientIp, userAgent, optedOut, receivedAt, salts, resolved, geo, ids);
    }

    /** The same request, looking its address up in {@code locator}. */
    public RequestFacts withGeo(GeoLocator locator) {
        return new RequestFacts(appId, clientIp, userAgent, optedOut, receivedAt, salts, device,
                new GeoMemo(locator, clientIp), ids);
    }

    @Override
    public String toString() {
        return "RequestFacts[appId=" + appId + ", optedOut=" + optedOut + ", receivedAt=" + receivedAt + "]";
    }
}
