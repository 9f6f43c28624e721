package io.sightline.event;

import java.util.Objects;

/**
 * Everything the client reports about the circumstances of an event. The nested records are never null
 * (an absent part is a record of nulls, or the part's {@code NONE}), so readers can chain
 * {@code context.location().country()}. Click ids, campaign and traits are what the ad platforms match by.
 */
public record EventContext(Device device, AppInfo app, Location location, String locale, Consent consent,
                           ClickIds clickIds, Campaign campaign, Traits traits) {
    public EventContext {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(consent, "consent");
        Objects.requireNonNull(clickIds, "clickIds");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(traits, "traits");
    }

    /** A context without matching data, as the benchmarks' synthetic events and most tests have. */
    public EventContext(Device device, AppInfo app, Location location, String locale, Consent consent) {
        this(device, app, location, locale, consent, ClickIds.NONE, Campaign.NONE, Traits.NONE);
    }

    public EventContext withLocation(Location location) {
        return new EventContext(device, app, location, locale, consent, clickIds, campaign, traits);
    }

    public EventContext withDevice(Device device) {
        return new EventContext(device, app, location, locale, consent, clickIds, campaign, traits);
    }

    public EventContext withConsent(Consent consent) {
        return new EventContext(device, app, location, locale, consent, clickIds, campaign, traits);
    }
}
