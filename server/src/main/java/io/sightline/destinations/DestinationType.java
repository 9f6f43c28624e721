package io.sightline.destinations;

import java.util.Locale;
import java.util.Optional;

/** The platforms Sightline forwards to, by their wire name in the admin API ({@code "google_ads"}). */
public enum DestinationType {
    META(true), GOOGLE_ADS(true), GA4(true), LINKEDIN(true), X(true), UMAMI(false);

    private final boolean advertising;

    DestinationType(boolean advertising) {
        this.advertising = advertising;
    }

    /**
     * An ad platform gets only events whose sender gave ads consent; the others (Umami) only events with analytics
     * consent.
     */
    public boolean advertising() {
        return advertising;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DestinationType> fromWire(String name) {
        for (DestinationType t : values()) {
            if (t.wireName().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
