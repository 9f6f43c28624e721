package io.sightline.event;

import java.util.Locale;

/** A stored column the server may fill in when the client left it out; recorded per event in {@code derived}. */
public enum DerivedField {
    COUNTRY, REGION, CITY, LATITUDE, LONGITUDE,
    OS, OS_VERSION, DEVICE_MODEL, DEVICE_TYPE, BROWSER, BROWSER_VERSION,
    VISITOR_ID, SESSION_ID, CONSENT_ADS;

    private final String column = name().toLowerCase(Locale.ROOT);

    /** The column of the stored events this field fills. */
    public String column() {
        return column;
    }
}
