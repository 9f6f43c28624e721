package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The destinations admin API with the six real platform clients ({@code Sightline.start}'s own map, not the
 * stand-ins of {@link TestPlatforms}): every config a platform would refuse, or that would dead-letter every event,
 * is a 400 naming the exact field; a valid config of each platform is stored and answered without its credentials.
 */
class DestinationConfigApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/api/v1/apps/1/destinations";
    private static final String TOKEN = secret("EAAG");
    private static final String DEV_TOKEN = secret("dev");
    private static final String CLIENT_SECRET = secret("GOCSPX");
    private static final String REFRESH = secret("1//rt");
    private static final String GA4_SECRET = secret("ga4");
    private static final String LI_TOKEN = secret("AQV");
    private static final String X_KEY = secret("ck");
    private static final String X_SECRET = secret("cs");
    private static final String X_TOKEN = secret("12345-at");
    private static final String X_TOKEN_SECRET = secret("ats");
    private static final List<String> SECRETS = List.of(TOKEN, DEV_TOKEN, CLIENT_SECRET, REFRESH, GA4_SECRET,
            LI_TOKEN, X_KEY, X_SECRET, X_TOKEN, X_TOKEN_SECRET);
    private static final String WEBSITE = UUID.randomUUID().toString();
    private static TestServer server;

    @BeforeAll
    static void start() {
        // The admin API alone is under test: no delivery worker polling beside it.
        server = TestServer.startWithRealPlatforms(Map.of("SIGHTLINE_FORWARDING", "false"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                // Meta
                refused("meta without pixel_id", meta("\"access_token\":\"" + TOKEN + "\""), "config.pixel_id"),
                refused("meta pixel_id with letters", meta("\"pixel_id\":\"12ab34\",\"access_token\":\"" + TOKEN + "\""),
                        "config.pixel_id"),
                refused("meta without access_token", meta("\"pixel_id\":\"123456789012345\""), "config.access_token"),
                refused("meta api_version without its v", meta(META_OK + ",\"api_version\":\"24.0\""), "config.api_version"),
                refused("meta test_event_code with a space", meta(META_OK + ",\"test_event_code\":\"TEST 1\""),
                        "config.test_event_code"),
                refused("meta unknown setting", meta(META_OK + ",\"dataset\":\"1\""), "config.dataset"),
                // Google Ads
                refused("google customer_id of 9 digits", google("\"customer_id\":\"123-456-789\"," + GOOGLE_CREDENTIALS
                        + ",\"conversion_action_id\":\"987\"", null), "config.customer_id"),
                refused("google customer_id of 11 digits", google("\"customer_id\":\"12345678901\"," + GOOGLE_CREDENTIALS
                        + ",\"conversion_action_id\":\"987\"", null), "config.customer_id"),
                refused("google login_customer_id not an id", google(GOOGLE_OK + ",\"login_customer_id\":\"mcc\"", null),
                        "config.login_customer_id"),
                refused("google api_version without its v", google(GOOGLE_OK + ",\"api_version\":\"26\"", null),
                        "config.api_version"),
                refused("google without refresh_token", google("\"customer_id\":\"1234567890\",\"client_id\":\"c.apps\","
                        + "\"developer_token\":\"" + DEV_TOKEN + "\",\"client_secret\":\"" + CLIENT_SECRET + "\","
                        + "\"conversion_action_id\":\"987\"", null), "config.refresh_token"),
                refused("google rule named by a label, not an action id", google(GOOGLE_OK,
                        "[{\"match\":\"conversion\",\"name\":\"Purchase\"}]"), "events[0].name"),
                refused("google default rule without conversion_action_id", google("\"customer_id\":\"1234567890\","
                        + GOOGLE_CREDENTIALS, null), "config.conversion_action_id"),
                // GA4
                refused("ga4 with both stream ids", ga4("\"measurement_id\":\"G-ABC123\",\"firebase_app_id\":"
                        + "\"1:1234567890:android:0a1b2c3d\",\"api_secret\":\"" + GA4_SECRET + "\"", null),
                        "config.measurement_id"),
                refused("ga4 with no stream id", ga4("\"api_secret\":\"" + GA4_SECRET + "\"", null), "config.measurement_id"),
                refused("ga4 universal analytics id", ga4("\"measurement_id\":\"UA-12345-1\",\"api_secret\":\""
                        + GA4_SECRET + "\"", null), "config.measurement_id"),
                refused("ga4 firebase_app_id of an unknown platform", ga4("\"firebase_app_id\":\"1:1234567890:windows:0a1b\","
                        + "\"api_secret\":\"" + GA4_SECRET + "\"", null), "config.firebase_app_id"),
                refused("ga4 without api_secret", ga4("\"measurement_id\":\"G-ABC123\"", null), "config.api_secret"),
                refused("ga4 reserved event name", ga4(GA4_OK, "[{\"match\":\"qr_scan\",\"name\":\"scan\"},"
                        + "{\"match\":\"conversion\",\"name\":\"page_view\"}]"), "events[1].name"),
                refused("ga4 reserved prefix", ga4(GA4_OK, "[{\"match\":\"conversion\",\"name\":\"firebase_buy\"}]"),
                        "events[0].name"),
                refused("ga4 name with a hyphen", ga4(GA4_OK, "[{\"match\":\"conversion\",\"name\":\"buy-now\"}]"),
                        "events[0].name"),
                refused("ga4 name over 40 characters", ga4(GA4_OK, "[{\"match\":\"conversion\",\"name\":\""
                        + "a".repeat(41) + "\"}]"), "events[0].name"),
                // LinkedIn
                refused("linkedin month 13", linkedin("\"access_token\":\"" + LI_TOKEN + "\",\"conversion_rule_id\":"
                        + "\"104\",\"linkedin_version\":\"202613\"", null), "config.linkedin_version"),
                refused("linkedin without access_token", linkedin("\"conversion_rule_id\":\"104\"", null),
                        "config.access_token"),
                refused("linkedin rule named by its urn", linkedin(LINKEDIN_OK,
                        "[{\"match\":\"conversion\",\"name\":\"urn:lla:llaPartnerConversion:104\"}]"), "events[0].name"),
                refused("linkedin default rule without conversion_rule_id", linkedin("\"access_token\":\"" + LI_TOKEN
                        + "\"", null), "config.conversion_rule_id"),
                // X
                refused("x pixel_id in capitals", x("\"pixel_id\":\"O8Z6J\"," + X_CREDENTIALS + ",\"event_id\":"
                        + "\"tw-o8z6j-o8z6k\"", null), "config.pixel_id"),
                refused("x without consumer_secret", x("\"pixel_id\":\"o8z6j\",\"consumer_key\":\"" + X_KEY + "\","
                        + "\"access_token\":\"" + X_TOKEN + "\",\"access_token_secret\":\"" + X_TOKEN_SECRET + "\","
                        + "\"event_id\":\"tw-o8z6j-o8z6k\"", null), "config.consumer_secret"),
                refused("x event_id cut short", x("\"pixel_id\":\"o8z6j\"," + X_CREDENTIALS + ",\"event_id\":\"tw-o8z6j\"",
                        null), "config.event_id"),
                refused("x rule named Purchase", x(X_OK, "[{\"match\":\"conversion\",\"name\":\"Purchase\"}]"),
                        "events[0].name"),
                refused("x default rule without event_id", x("\"pixel_id\":\"o8z6j\"," + X_CREDENTIALS, null),
                        "config.event_id"),
                // Umami
                refused("umami ftp url", umami("\"url\":\"ftp://umami.example.com\",\"website_id\":\"" + WEBSITE + "\""),
                        "config.url"),
                refused("umami javascript url", umami("\"url\":\"javascript:alert(1)\",\"website_id\":\"" + WEBSITE + "\""),
                        "config.url"),
                refused("umami url with credentials", umami("\"url\":\"https://admin:hunter2@umami.example.com\","
                        + "\"website_id\":\"" + WEBSITE + "\""), "config.url"),
                refused("umami url with a query", umami("\"url\":\"https://umami.example.com/?token=1\","
                        + "\"website_id\":\"" + WEBSITE + "\""), "config.url"),
                refused("umami url without a host", umami("\"url\":\"https:///api\",\"website_id\":\"" + WEBSITE + "\""),
                        "config.url"),
                refused("umami website_id not a uuid", umami("\"url\":\"https://umami.example.com\","
                        + "\"website_id\":\"my-site\""), "config.website_id"),
                refused("umami without website_id", umami("\"url\":\"https://umami.example.com\""), "config.website_id"),
                refused("umami api key it does not take", umami("\"url\":\"https://umami.example.com\",\"website_id\":\""
                        + WEBSITE + "\",\"api_key\":\"k\""), "config.api_key"));
    }

    @ParameterizedTest(name = "{0} -> 400 {2}")
    @MethodSource("invalidConfigs")
    void refuses_an_invalid_config_with_a_400_naming_the_field(String what, String body, String field)
            throws Exception {
        HttpResponse<String> r = server.admin("POST", BASE, body);
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).at("/error/field").asText()).as(what + ": " + r.body()).isEqualTo(field);
        assertNoSecretIn(r);
        assertThat(r.body()).as("a refusal never repeats a URL's credentials").doesNotContain("hunter2");
    }

    @Test
    void the_invalid_configs_are_twenty_or_more_and_cover_every_platform() {
        List<String> bodies = invalidConfigs().map(a -> (String) a.get()[1]).toList();
        assertThat(bodies).hasSizeGreaterThanOrEqualTo(20);
        Set<String> types = bodies.stream().map(b -> b.replaceAll("^\\{\"type\":\"([a-z_0-9]+)\".*$", "$1"))
                .collect(Collectors.toSet());
        assertThat(types).containsExactlyInAnyOrder("meta", "google_ads", "ga4", "linkedin", "x", "umami");
    }

    @Test
    void creates_a_meta_destination_and_answers_without_its_token() throws Exception {
        JsonNode d = created(meta(META_OK + ",\"test_event_code\":\"TEST12345\",\"api_version\":\"v24.0\""), "Meta ok");
        assertThat(d.get("config")).isEqualTo(JSON.readTree(
                "{\"pixel_id\":\"123456789012345\",\"test_event_code\":\"TEST12345\",\"api_version\":\"v24.0\"}"));
        assertThat(d.get("secrets_set")).isEqualTo(JSON.readTree("[\"access_token\"]"));
        assertThat(d.get("events")).isEqualTo(JSON.readTree("[{\"match\":\"conversion\",\"name\":null}]"));
    }

    @Test
    void creates_a_google_ads_destination_with_dashed_ids_and_answers_without_its_credentials() throws Exception {
        JsonNode d = created(google(GOOGLE_OK + ",\"login_customer_id\":\"111-222-3333\"",
                "[{\"match\":\"conversion\"},{\"match\":\"custom:signup\",\"name\":\"654321\"}]"), "Google ok");
        assertThat(d.get("config").get("customer_id").asText()).isEqualTo("123-456-7890");
        assertThat(d.get("config").get("login_customer_id").asText()).isEqualTo("111-222-3333");
        assertThat(d.get("secrets_set")).isEqualTo(JSON.readTree(
                "[\"client_secret\",\"developer_token\",\"refresh_token\"]"));
    }

    @Test
    void creates_ga4_web_and_app_streams_and_answers_without_the_api_secret() throws Exception {
        JsonNode web = created(ga4(GA4_OK, "[{\"match\":\"conversion\"},{\"match\":\"custom:ar_placed\","
                + "\"name\":\"ar_model_placed\"}]"), "GA4 web");
        assertThat(web.get("config")).isEqualTo(JSON.readTree("{\"measurement_id\":\"G-ABC123\"}"));
        assertThat(web.get("secrets_set")).isEqualTo(JSON.readTree("[\"api_secret\"]"));
        JsonNode app = created(ga4("\"firebase_app_id\":\"1:1234567890:android:0a1b2c3d\",\"api_secret\":\""
                + GA4_SECRET + "\"", null), "GA4 app");
        assertThat(app.get("config").get("firebase_app_id").asText()).isEqualTo("1:1234567890:android:0a1b2c3d");
    }

    @Test
    void creates_a_linkedin_destination_and_answers_without_its_token() throws Exception {
        JsonNode d = created(linkedin(LINKEDIN_OK + ",\"linkedin_version\":\"202601\"", null), "LinkedIn ok");
        assertThat(d.get("config")).isEqualTo(JSON.readTree(
                "{\"conversion_rule_id\":\"104\",\"linkedin_version\":\"202601\"}"));
        assertThat(d.get("secrets_set")).isEqualTo(JSON.readTree("[\"access_token\"]"));
    }

    @Test
    void creates_an_x_destination_and_answers_without_its_four_oauth_credentials() throws Exception {
        JsonNode d = created(x(X_OK, "[{\"match\":\"conversion\"},{\"match\":\"custom:signup\","
                + "\"name\":\"tw-o8z6j-o8z6l\"}]"), "X ok");
        assertThat(d.get("config")).isEqualTo(JSON.readTree("{\"pixel_id\":\"o8z6j\",\"event_id\":\"tw-o8z6j-o8z6k\"}"));
        assertThat(d.get("secrets_set")).isEqualTo(JSON.readTree(
                "[\"access_token\",\"access_token_secret\",\"consumer_key\",\"consumer_secret\"]"));
    }

    @Test
    void creates_an_umami_destination_that_forwards_every_event_type_by_default() throws Exception {
        JsonNode d = created(umami("\"url\":\"https://stats.example.com/umami/\",\"website_id\":\"" + WEBSITE + "\""),
                "Umami ok");
        assertThat(d.get("secrets_set")).isEmpty();
        assertThat(d.get("events").findValuesAsText("match")).containsExactlyInAnyOrder(
                "qr_scan", "placement", "interaction", "screenshot", "conversion", "screen_view", "custom");
    }

    @Test
    void a_patch_that_removes_the_id_a_default_rule_needs_is_refused() throws Exception {
        long id = created(linkedin(LINKEDIN_OK, null), "LinkedIn patch").get("id").asLong();
        HttpResponse<String> r = server.admin("PATCH", BASE + "/" + id, "{\"config\":{\"conversion_rule_id\":null}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).at("/error/field").asText()).isEqualTo("config.conversion_rule_id");
        HttpResponse<String> named = server.admin("PATCH", BASE + "/" + id,
                "{\"config\":{\"conversion_rule_id\":null},\"events\":[{\"match\":\"conversion\",\"name\":\"105\"}]}");
        assertThat(named.statusCode()).as("with every rule naming its conversion rule: " + named.body()).isEqualTo(200);
        assertNoSecretIn(named);
    }

    private static final String META_OK = "\"pixel_id\":\"123456789012345\",\"access_token\":\"" + TOKEN + "\"";
    private static final String GOOGLE_CREDENTIALS = "\"client_id\":\"123-abc.apps.googleusercontent.com\","
            + "\"developer_token\":\"" + DEV_TOKEN + "\",\"client_secret\":\"" + CLIENT_SECRET + "\","
            + "\"refresh_token\":\"" + REFRESH + "\"";
    private static final String GOOGLE_OK = "\"customer_id\":\"123-456-7890\",\"conversion_action_id\":\"987654\","
            + GOOGLE_CREDENTIALS;
    private static final String GA4_OK = "\"measurement_id\":\"G-ABC123\",\"api_secret\":\"" + GA4_SECRET + "\"";
    private static final String LINKEDIN_OK = "\"access_token\":\"" + LI_TOKEN + "\",\"conversion_rule_id\":\"104\"";
    private static final String X_CREDENTIALS = "\"consumer_key\":\"" + X_KEY + "\",\"consumer_secret\":\"" + X_SECRET
            + "\",\"access_token\":\"" + X_TOKEN + "\",\"access_token_secret\":\"" + X_TOKEN_SECRET + "\"";
    private static final String X_OK = "\"pixel_id\":\"o8z6j\",\"event_id\":\"tw-o8z6j-o8z6k\"," + X_CREDENTIALS;

    private static Arguments refused(String what, String body, String field) {
        return Arguments.of(what, body, field);
    }

    private static String meta(String config) {
        return body("meta", config, null);
    }

    private static String google(String config, String events) {
        return body("google_ads", config, events);
    }

    private static String ga4(String config, String events) {
        return body("ga4", config, events);
    }

    private static String linkedin(String config, String events) {
        return body("linkedin", config, events);
    }

    private static String x(String config, String events) {
        return body("x", config, events);
    }

    private static String umami(String config) {
        return body("umami", config, null);
    }

    /** The type comes first: the coverage test reads it from there. */
    private static String body(String type, String config, String events) {
        return "{\"type\":\"" + type + "\",\"name\":\"" + type + " " + UUID.randomUUID() + "\",\"config\":{" + config
                + "}" + (events == null ? "" : ",\"events\":" + events) + "}";
    }

    private static JsonNode created(String body, String name) throws Exception {
        String named = body.replaceFirst("\"name\":\"[^\"]*\"", "\"name\":\"" + name + "\"");
        HttpResponse<String> r = server.admin("POST", BASE, named);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertNoSecretIn(r);
        JsonNode d = JSON.readTree(r.body());
        assertThat(d.get("name").asText()).isEqualTo(name);
        HttpResponse<String> shown = server.admin("GET", BASE + "/" + d.get("id").asLong(), null);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertNoSecretIn(shown);
        assertNoSecretIn(server.admin("GET", BASE, null));
        return d;
    }

    private static void assertNoSecretIn(HttpResponse<String> r) {
        for (String secret : SECRETS) {
            assertThat(r.body()).as("an answer").doesNotContain(secret);
        }
    }

    private static String secret(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "");
    }
}
