package io.sightline.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the optional {@code context} object of an event; every part the client left out becomes a record of nulls. */
final class ContextReader {
    private static final List<String> CONTEXT = List.of("device", "app", "location", "locale", "consent",
            "click_ids", "campaign", "traits");
    private static final List<String> DEVICE = List.of("os", "os_version", "model", "type");
    private static final List<String> APP = List.of("version", "build");
    private static final List<String> LOCATION = List.of("latitude", "longitude", "city", "region", "country", "accuracy_m");
    private static final List<String> CONSENT = List.of("analytics", "ads");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private static final Device NO_DEVICE = new Device(null, null, null, null, null, null);
    private static final AppInfo NO_APP = new AppInfo(null, null);
    private static final Location NO_LOCATION = new Location(null, null, null, null, null, null);
    private static final Consent NO_CONSENT = new Consent(null, null);
    private static final EventContext NO_CONTEXT = new EventContext(NO_DEVICE, NO_APP, NO_LOCATION, null, NO_CONSENT);

    private ContextReader() {
    }

    /** {@code context} is the client's object, or null when it sent none. */
    static EventContext read(JsonNode context) {
        if (context == null) {
            return NO_CONTEXT;
        }
        Fields.rejectUnknown(context, "context.", CONTEXT);
        Device device = device(Fields.optionalObject(context, "context.", "device"));
        AppInfo app = app(Fields.optionalObject(context, "context.", "app"));
        Location location = location(Fields.optionalObject(context, "context.", "location"));
        String locale = locale(context);
        Consent consent = consent(Fields.optionalObject(context, "context.", "consent"));
        ClickIds clickIds = MatchingDataReader.clickIds(Fields.optionalObject(context, "context.", "click_ids"));
        Campaign campaign = MatchingDataReader.campaign(Fields.optionalObject(context, "context.", "campaign"));
        Traits traits = MatchingDataReader.traits(Fields.optionalObject(context, "context.", "traits"));
        return new EventContext(device, app, location, locale, consent, clickIds, campaign, traits);
    }

    private static Device device(JsonNode device) {
        if (device == null) {
            return NO_DEVICE;
        }
        String p = "context.device.";
        Fields.rejectUnknown(device, p, DEVICE);
        return new Device(
                Fields.optionalString(device, p, "os", 0, 64),
                Fields.optionalString(device, p, "os_version", 0, 64),
                Fields.optionalString(device, p, "model", 0, 128),
                Fields.optionalString(device, p, "type", 0, 32),
                null, null);
    }

    private static AppInfo app(JsonNode app) {
        if (app == null) {
            return NO_APP;
        }
        String p = "context.app.";
        Fields.rejectUnknown(app, p, APP);
        return new AppInfo(
                Fields.optionalString(app, p, "version", 0, 64),
                Fields.optionalString(app, p, "build", 0, 64));
    }

    private static Location location(JsonNode location) {
        if (location == null) {
            return NO_LOCATION;
        }
        String p = "context.location.";
        Fields.rejectUnknown(location, p, LOCATION);
        Double latitude = Fields.optionalNumber(location, p, "latitude", -90, 90);
        Double longitude = Fields.optionalNumber(location, p, "longitude", -180, 180);
        if (latitude == null && longitude != null) {
            throw new Rejection("missing_field", p + "latitude", p + "latitude is required when longitude is given");
        }
        if (latitude != null && longitude == null) {
            throw new Rejection("missing_field", p + "longitude", p + "longitude is required when latitude is given");
        }
        String city = Fields.optionalString(location, p, "city", 0, 128);
        String region = Fields.optionalString(location, p, "region", 0, 128);
        String country = Fields.optionalString(location, p, "country", 0, Integer.MAX_VALUE);
        if (country != null && !COUNTRIES.contains(country)) {
            throw new Rejection("invalid_value", p + "country",
                    p + "country must be an ISO 3166-1 alpha-2 code such as \"DE\"");
        }
        Double accuracy = Fields.optionalNumber(location, p, "accuracy_m", 0, 1_000_000);
        return new Location(latitude, longitude, city, region, country, accuracy);
    }

    private static String locale(JsonNode context) {
        String locale = Fields.optionalString(context, "context.", "locale", 1, 35);
        if (locale != null && !LocaleShape.matches(locale)) {
            throw new Rejection("invalid_value", "context.locale",
                    "context.locale must be a BCP-47 tag of letters, digits, '-' or '_', such as \"en-US\"");
        }
        return locale == null ? null : bcp47Form(locale);
    }

    /**
     * Java's and Android's {@code Locale.toString()} gives "de_DE", so native apps send that form: it is stored as
     * "de-DE", with each subtag cased as BCP 47 writes it (language lower, script title, region upper, the rest
     * lower), which is what {@code Locale.toLanguageTag()} gives for a well-formed tag. Unlike that method it drops
     * no subtag it does not understand, so that what the client sent is kept.
     */
    private static String bcp47Form(String locale) {
        String[] subtags = locale.replace('_', '-').toLowerCase(Locale.ROOT).split("-", -1);
        StringBuilder tag = new StringBuilder(subtags[0]);
        // After a singleton ("x-", "u-") come extensions and private use, all lower case.
        boolean afterSingleton = subtags[0].length() == 1;
        for (int i = 1; i < subtags.length; i++) {
            String subtag = subtags[i];
            afterSingleton |= subtag.length() == 1;
            tag.append('-');
            if (afterSingleton) {
                tag.append(subtag);
            } else if (subtag.length() == 2) {
                tag.append(subtag.toUpperCase(Locale.ROOT));
            } else if (subtag.length() == 4 && Character.isLetter(subtag.charAt(0))) {
                tag.append(Character.toUpperCase(subtag.charAt(0))).append(subtag, 1, 4);
            } else {
                tag.append(subtag);
            }
        }
        return tag.toString();
    }

    private static Consent consent(JsonNode consent) {
        if (consent == null) {
            return NO_CONSENT;
        }
        String p = "context.consent.";
        Fields.rejectUnknown(consent, p, CONSENT);
        return new Consent(
                Fields.optionalBoolean(consent, p, "analytics"),
                Fields.optionalBoolean(consent, p, "ads"));
    }
}
