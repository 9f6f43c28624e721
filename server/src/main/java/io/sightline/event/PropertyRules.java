package io.sightline.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys each event type requires or recognises inside {@code properties}. A recognised key is checked
 * whenever it is present, even where it is optional; a key that the event's type does not recognise is a
 * custom one, bound only by {@link PropertyLimits}.
 */
final class PropertyRules {
    private static final String P = "properties.";
    private static final int ID = 128;
    private static final double MAGNITUDE = PropertyLimits.MAX_MAGNITUDE;
    private static final List<String> SURFACES = List.of("horizontal", "vertical");
    private static final List<String> KINDS = List.of("tap", "rotate", "scale");
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());

    private PropertyRules() {
    }

    /** {@code properties} is the client's object, or a missing node when it sent none. */
    static void check(EventType type, JsonNode properties) {
        switch (type) {
            case QR_SCAN -> {
                Fields.requiredString(properties, P, "qr_code_id", 1, ID, " for qr_scan events");
                Fields.optionalString(properties, P, "campaign", 0, 200);
            }
            case PLACEMENT -> {
                Fields.requiredString(properties, P, "object_id", 1, ID, " for placement events");
                oneOf(properties, "surface", SURFACES, null);
                Fields.optionalInteger(properties, P, "duration_ms", 0, 86_400_000);
            }
            case INTERACTION -> {
                Fields.requiredString(properties, P, "object_id", 1, ID, " for interaction events");
                oneOf(properties, "kind", KINDS, " for interaction events");
                Fields.optionalNumber(properties, P, "value", -MAGNITUDE, MAGNITUDE);
            }
            case SCREENSHOT -> Fields.optionalString(properties, P, "object_id", 1, ID);
            case CONVERSION -> {
                Fields.requiredString(properties, P, "cta_id", 1, ID, " for conversion events");
                Fields.optionalNumber(properties, P, "value", 0, 1e12);
                currency(properties);
            }
            case SCREEN_VIEW -> ScreenViewRules.check(properties);
            case CUSTOM -> {
                // Every key of a custom event is the client's own.
            }
        }
    }

    /** {@code whenMissing} is null for an optional key, else the reason it is required. */
    private static void oneOf(JsonNode properties, String key, List<String> allowed, String whenMissing) {
        String value = whenMissing == null
                ? Fields.optionalString(properties, P, key, 0, Integer.MAX_VALUE)
                : Fields.requiredString(properties, P, key, 0, Integer.MAX_VALUE, whenMissing);
        if (value != null && !allowed.contains(value)) {
            throw new Rejection("invalid_value", P + key, P + key + " \"" + Fields.excerpt(value)
                    + "\" is not one of \"" + String.join("\", \"", allowed) + "\"");
        }
    }

    private static void currency(JsonNode properties) {
        String code = Fields.optionalString(properties, P, "currency", 0, Integer.MAX_VALUE);
        if (code != null && !CURRENCIES.contains(code)) {
            throw new Rejection("invalid_value", P + "currency", P + "currency \"" + Fields.excerpt(code)
                    + "\" is not an ISO 4217 code; use three upper-case letters such as \"EUR\"");
        }
    }
}
