package io.sightline.store;

/**
 * Seals the client's IP address and User-Agent of one event for the forwarding outbox, when (and only when) an
 * enabled destination of the app may send them ({@code send_client_data}) and the event has the consent that
 * destination needs. The destinations feature implements it with its own key; the writer only carries the bytes.
 */
public interface ClientDataSealer {
    /** Seals nothing: no destination sends client data. */
    ClientDataSealer NONE = (appId, eventId, adsConsent, ip, userAgent) -> null;

    /** The sealed pair, bound to the event, or null when no destination of the app would send it for this event. */
    byte[] seal(long appId, java.util.UUID eventId, boolean adsConsent, String clientIp, String userAgent);
}
