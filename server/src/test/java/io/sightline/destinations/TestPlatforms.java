package io.sightline.destinations;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stand-ins for the six platform clients, declaring the fields the real ones read (from each platform's
 * documentation) so that the admin API can be tested before the clients exist. They never send.
 */
public final class TestPlatforms {
    private TestPlatforms() {
    }

    public static Map<DestinationType, Platform> all() {
        Map<DestinationType, Platform> all = new EnumMap<>(DestinationType.class);
        all.put(DestinationType.META, new Declared(DestinationType.META, List.of(
                ConfigField.required("pixel_id", "[0-9]{1,20}", "the dataset (pixel) id"),
                ConfigField.secret("access_token", "a Conversions API access token"),
                ConfigField.optional("test_event_code", "TEST[0-9A-Za-z]{1,20}", "routes events to Test Events")),
                List.of(new EventRule("conversion", null)), c -> { }));
        all.put(DestinationType.GOOGLE_ADS, new Declared(DestinationType.GOOGLE_ADS, List.of(
                ConfigField.required("customer_id", "[0-9]{10}", "the Google Ads customer id, ten digits"),
                ConfigField.optional("login_customer_id", "[0-9]{10}", "the manager account, when one is used"),
                ConfigField.secret("developer_token", "the API developer token"),
                ConfigField.required("client_id", "[0-9A-Za-z._-]{1,200}", "the OAuth client id"),
                ConfigField.secret("client_secret", "the OAuth client secret"),
                ConfigField.secret("refresh_token", "an OAuth refresh token")),
                List.of(new EventRule("conversion", "customers/1234567890/conversionActions/1")), c -> { }));
        all.put(DestinationType.GA4, new Declared(DestinationType.GA4, List.of(
                ConfigField.required("measurement_id", "G-[0-9A-Z]{4,20}", "the web stream's measurement id"),
                ConfigField.secret("api_secret", "a Measurement Protocol API secret")),
                List.of(new EventRule("conversion", "purchase")), c -> { }));
        all.put(DestinationType.LINKEDIN, new Declared(DestinationType.LINKEDIN, List.of(
                ConfigField.secret("access_token", "an OAuth access token with rw_conversions")),
                List.of(new EventRule("conversion", "urn:lla:llaPartnerConversion:1")), c -> { }));
        all.put(DestinationType.X, new Declared(DestinationType.X, List.of(
                ConfigField.required("pixel_id", "[0-9a-z]{1,20}", "the pixel id"),
                ConfigField.secret("consumer_key", "the app's API key"),
                ConfigField.secret("consumer_secret", "the app's API key secret"),
                ConfigField.secret("access_token", "the user's access token"),
                ConfigField.secret("access_token_secret", "the user's access token secret")),
                List.of(new EventRule("conversion", "tw-abc12-def34")), c -> { }));
        all.put(DestinationType.UMAMI, new Declared(DestinationType.UMAMI, List.of(
                ConfigField.required("url", "https?://\\S+", "the Umami server"),
                ConfigField.required("website_id",
                        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "the website id")),
                List.of(new EventRule("qr_scan", null), new EventRule("conversion", null)), TestPlatforms::hostRequired));
        return all;
    }

    /** What a field cannot say: the URL must parse and name a host. */
    private static void hostRequired(DestinationConfig config) {
        try {
            if (new URI(config.require("url")).getHost() == null) {
                throw DestinationError.invalid("config.url", "config.url must name a host");
            }
        } catch (URISyntaxException e) {
            throw DestinationError.invalid("config.url", "config.url is not a URL");
        }
    }

    private record Declared(DestinationType type, List<ConfigField> fields, List<EventRule> defaultRules,
                            Consumer<DestinationConfig> checker) implements Platform {
        @Override
        public void check(DestinationConfig config) {
            checker.accept(config);
        }

        @Override
        public String defaultEventName(Outgoing event) {
            return event.eventType();
        }

        @Override
        public int maxBatch() {
            return 100;
        }

        @Override
        public Duration window() {
            return Duration.ofDays(7);
        }

        @Override
        public List<Outcome> send(DestinationConfig config, List<Outgoing> batch) {
            throw new UnsupportedOperationException("a declaration only");
        }
    }
}
