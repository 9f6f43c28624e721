package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.config.CidrBlock;
import io.sightline.event.LocaleShape;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Segment's {@code context} as Sightline's native {@code context}, part by part. Segment's SDKs fill the context on
 * their own (device, OS, app, locale, network, library, ...), so a part that does not fit Sightline's rules is
 * left out rather than costing the event: a country given as a name, a build number too long, half a coordinate.
 * What the client sent about the user (traits) is hashed by validation, as on the native path.
 *
 * <p>In a batch, the envelope's {@code context} applies to every message; a message's own part wins.
 */
final class SegmentContext {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /** The native context (null when nothing maps), and the sender's address and User-Agent as the body gives them. */
    record Mapped(ObjectNode context, String ip, String userAgent) {}

    private final JsonNode own;
    private final JsonNode shared;

    /** {@code own}: the message's context; {@code shared}: the batch's; either may be null or not an object. */
    SegmentContext(JsonNode own, JsonNode shared) {
        this.own = own != null && own.isObject() ? own : null;
        this.shared = shared != null && shared.isObject() ? shared : null;
    }

    /**
     * The context last mapped in one request. A batch's messages usually carry equal contexts (an SDK fills the same
     * device, app, locale and traits into each), so an equal one is mapped, and its traits checked, once per run of
     * equal contexts. The mapped node is shared by those events and only read after this.
     */
    static final class Memo {
        private boolean filled;
        private JsonNode own;
        private Mapped mapped;

        /** {@code usableTraits}: the traits check ({@link SegmentTraits#usable}); the batch's context is the same for the whole request. */
        Mapped map(SegmentContext context, Function<JsonNode, ObjectNode> usableTraits) {
            if (filled && Objects.equals(own, context.own)) {
                return mapped;
            }
            mapped = context.map(usableTraits.apply(context.part("traits")));
            own = context.own;
            filled = true;
            return mapped;
        }
    }

    /** The part {@code name}: the message's own, else the batch's; null when neither has it. */
    JsonNode part(String name) {
        JsonNode value = own == null ? null : own.get(name);
        if ((value == null || value.isNull()) && shared != null) {
            value = shared.get(name);
        }
        return value == null || value.isNull() ? null : value;
    }

    /** {@code traits}: the usable traits (see {@link SegmentTraits}), or null. */
    Mapped map(ObjectNode traits) {
        ObjectNode context = NODES.objectNode();
        device(context);
        app(context);
        location(context);
        String locale = text(part("locale"), 35);
        if (locale != null && LocaleShape.matches(locale)) {
            context.put("locale", locale);
        }
        consent(context);
        campaign(context);
        if (traits != null && !traits.isEmpty()) {
            context.set("traits", traits);
        }
        String ip = text(part("ip"), 64);
        if (ip != null && CidrBlock.literalAddress(ip).isEmpty()) {
            ip = null; // not an address: the transport's is used
        }
        return new Mapped(context.isEmpty() ? null : context, ip, text(part("userAgent"), 1024));
    }

    /** Segment's {@code device.type} is the platform ("ios"), not the form factor Sightline means: left to the User-Agent. */
    private void device(ObjectNode context) {
        ObjectNode device = NODES.objectNode();
        JsonNode os = part("os");
        if (os != null) {
            putText(device, "os", os.get("name"), 64);
            putText(device, "os_version", os.get("version"), 64);
        }
        JsonNode given = part("device");
        if (given != null) {
            putText(device, "model", given.get("model"), 128);
        }
        if (!device.isEmpty()) {
            context.set("device", device);
        }
    }

    /** Segment's iOS and Android SDKs send {@code build} as a number or a string; both are kept as text. */
    private void app(ObjectNode context) {
        JsonNode given = part("app");
        if (given == null) {
            return;
        }
        ObjectNode app = NODES.objectNode();
        putText(app, "version", given.get("version"), 64);
        putText(app, "build", given.get("build"), 64);
        if (!app.isEmpty()) {
            context.set("app", app);
        }
    }

    private void location(ObjectNode context) {
        JsonNode given = part("location");
        if (given == null) {
            return;
        }
        ObjectNode location = NODES.objectNode();
        JsonNode lat = given.get("latitude");
        JsonNode lon = given.get("longitude");
        if (inRange(lat, 90) && inRange(lon, 180)) {
            location.put("latitude", lat.doubleValue());
            location.put("longitude", lon.doubleValue());
        }
        putText(location, "city", given.get("city"), 128);
        putText(location, "region", given.get("region"), 128);
        String country = text(given.get("country"), 2);
        if (country != null && COUNTRIES.contains(country.toUpperCase(Locale.ROOT))) {
            location.put("country", country.toUpperCase(Locale.ROOT));
        }
        if (!location.isEmpty()) {
            context.set("location", location);
        }
    }

    /**
     * Segment's consent object ({@code context.consent.categoryPreferences}, category names chosen by the
     * workspace): a category named like analytics or advertising gives Sightline's {@code analytics} or {@code ads}.
     */
    private void consent(ObjectNode context) {
        JsonNode given = part("consent");
        JsonNode categories = given == null ? null : given.get("categoryPreferences");
        if (categories == null || !categories.isObject()) {
            return;
        }
        ObjectNode consent = NODES.objectNode();
        categories.properties().forEach(category -> {
            if (!category.getValue().isBoolean()) {
                return;
            }
            String name = category.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("analytics")) {
                consent.put("analytics", category.getValue().booleanValue());
            } else if (name.equals("advertising") || name.equals("ads")) {
                consent.put("ads", category.getValue().booleanValue());
            }
        });
        if (!consent.isEmpty()) {
            context.set("consent", consent);
        }
    }

    /** Segment's campaign names the UTM parameters without their prefix. */
    private void campaign(ObjectNode context) {
        JsonNode given = part("campaign");
        if (given == null) {
            return;
        }
        ObjectNode campaign = NODES.objectNode();
        for (String key : new String[] {"source", "medium", "name", "content", "term"}) {
            String value = text(given.get(key), 255);
            if (value != null && value.chars().noneMatch(Character::isISOControl)) {
                campaign.put(key.equals("name") ? "utm_campaign" : "utm_" + key, value);
            }
        }
        if (!campaign.isEmpty()) {
            context.set("campaign", campaign);
        }
    }

    private static void putText(ObjectNode target, String key, JsonNode value, int max) {
        String text = text(value, max);
        if (text != null) {
            target.put(key, text);
        }
    }

    /** A string, or a number as its text, of 1 to {@code max} characters; null for anything else. */
    static String text(JsonNode value, int max) {
        if (value == null || !(value.isTextual() || value.isIntegralNumber())) {
            return null;
        }
        String text = value.asText();
        if (text.isEmpty() || text.length() > max || text.indexOf('\0') >= 0) {
            return null;
        }
        return text;
    }

    private static boolean inRange(JsonNode value, double bound) {
        return value != null && value.isNumber() && Math.abs(value.doubleValue()) <= bound;
    }
}
