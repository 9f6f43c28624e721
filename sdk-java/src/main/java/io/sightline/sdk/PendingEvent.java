package io.sightline.sdk;

/**
 * An event as the caller's thread captured it: what it is, when, and the user and ads consent at that moment.
 * Properties are key/value pairs in one array, the cheapest shape to build; the event id, visitor, session and the
 * JSON are added later on the writer thread.
 */
final class PendingEvent {
    final String type;
    final String name;
    final Object[] properties;
    final long atMillis;
    final String userId;
    final Boolean adsConsent;

    PendingEvent(String type, String name, Object[] properties, long atMillis, String userId, Boolean adsConsent) {
        this.type = type;
        this.name = name;
        this.properties = properties;
        this.atMillis = atMillis;
        this.userId = userId;
        this.adsConsent = adsConsent;
    }
}
