package io.sightline.event;

import java.util.Objects;

/**
 * Everything the client reports about the circumstances of an event. The nested records are never null
 * (an absent part is a record of nulls), so readers can chain {@code context.location().country()}.
 */
public record EventContext(Device device, AppInfo app, Location location, String locale, Consent consent) {
    public EventContext {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(consent, "consent");
    }

    public EventContext withLocation(Location location) {
        return new EventContext(device, app, location, locale, consent);
    }

    public EventContext withDevice(Device device) {
        return new EventContext(device, app, location, locale, consent);
    }

    public EventContext withConsent(Consent consent) {
        return new EventContext(device, app, location, locale, consent);
    }
}
