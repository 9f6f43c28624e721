package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.destinations.ConfigField;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.DestinationError;
import io.sightline.destinations.DestinationType;
import io.sightline.destinations.EventRule;
import io.sightline.destinations.Outcome;
import io.sightline.destinations.Outgoing;
import io.sightline.destinations.Platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Google Ads click conversions through {@code POST {base}/{version}/customers/{id}:uploadClickConversions} (REST).
 *
 * <p>Documented rules it follows (developers.google.com/google-ads/api):
 * <ul>
 *   <li>Request ({@code reference/rpc/latest/UploadClickConversionsRequest}, {@code ClickConversion}):
 *       {@code conversions[]} and {@code partialFailure: true} ("This should always be set to true"). Each
 *       conversion carries one click id ({@code gclid}, else {@code gbraid}, else {@code wbraid}: they exclude each
 *       other), {@code conversionAction} = {@code customers/{id}/conversionActions/{action id}},
 *       {@code conversionDateTime} as "yyyy-mm-dd hh:mm:ss+|-hh:mm", {@code conversionValue},
 *       {@code currencyCode}, {@code orderId} (the Sightline event id, so a re-send is refused as a duplicate, not
 *       counted twice) and, for enhanced conversions, {@code userIdentifiers} with {@code hashedEmail} /
 *       {@code hashedPhoneNumber} (SHA-256 hex). Sightline forwards only events with ads consent, so each
 *       conversion says {@code consent.adUserData = GRANTED}.</li>
 *   <li>Headers ({@code docs/concepts/call-structure}): {@code Authorization: Bearer}, {@code developer-token},
 *       {@code login-customer-id} when a manager account is configured; ids without dashes.</li>
 *   <li>Limit ({@code docs/best-practices/quotas}): 2,000 conversions per request
 *       ({@code TOO_MANY_CONVERSIONS_IN_REQUEST}).</li>
 *   <li>Window: a conversion action's click-through window is at most 90 days, and a conversion whose click is
 *       older is refused with {@code EXPIRED_EVENT} ({@code ConversionUploadErrorEnum}); Sightline knows the
 *       conversion's time, not the click's, so it skips events older than 90 days, the widest the click could be.</li>
 *   <li>Answer ({@code UploadClickConversionsResponse}, {@code docs/best-practices/partial-failures}):
 *       {@code partialFailureError.details[].errors[]} each locate their row by
 *       {@code location.fieldPathElements[0].index}; rows without error were accepted. An error outside the rows
 *       (auth, quota) is a request-level error {@code {"error": {code, message, status, details}}}.</li>
 *   <li>Transient ({@code docs/best-practices/error-types}): HTTP 429 and 5xx, and the statuses
 *       {@code RESOURCE_EXHAUSTED}, {@code INTERNAL}, {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}; a row refused
 *       with {@code TOO_RECENT_EVENT} or {@code TOO_RECENT_CONVERSION_ACTION} is retried after the 6 hours Google
 *       names. An expired access token (401) is refreshed once; everything else is permanent.</li>
 * </ul>
 */
public final class GoogleAdsDestination implements Platform {
    public static final URI DEFAULT_BASE_URL = URI.create("https://googleads.googleapis.com");
    public static final URI DEFAULT_OAUTH_URL = URI.create("https://oauth2.googleapis.com/token");
    /** The newest version Google lists as active (v26, October 2026); {@code config.api_version} overrides it. */
    public static final String DEFAULT_API_VERSION = "v26";
    /** The rule name a rule without one gets: "send to {@code config.conversion_action_id}". */
    public static final String CONFIGURED_ACTION = TargetId.CONFIGURED;
    static final int MAX_BATCH = 2_000;
    static final Duration WINDOW = Duration.ofDays(90);
    private static final Duration TOO_RECENT_RETRY = Duration.ofHours(6);
    private static final TargetId ACTION = new TargetId("Google Ads", "conversion_action_id",
            Pattern.compile("[0-9]{1,20}"), "a conversion action id (digits)");
    private static final DateTimeFormatter GOOGLE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<ConfigField> FIELDS = List.of(
            ConfigField.required("customer_id", "[0-9]{3}-?[0-9]{3}-?[0-9]{4}",
                    "the Google Ads customer id the conversions belong to (10 digits, dashes allowed)"),
            ConfigField.optional("login_customer_id", "[0-9]{3}-?[0-9]{3}-?[0-9]{4}",
                    "the manager account id, when access goes through one"),
            ConfigField.optional("conversion_action_id", "[0-9]{1,20}",
                    "the conversion action id for rules that name none"),
            ConfigField.optional("api_version", "v[0-9]{2,3}", "the Google Ads API version (default " + DEFAULT_API_VERSION + ")"),
            ConfigField.secret("developer_token", "the Google Ads API developer token"),
            ConfigField.required("client_id", "[\\x21-\\x7e]{1,512}", "the OAuth 2.0 client id"),
            ConfigField.secret("client_secret", "the OAuth 2.0 client secret"),
            ConfigField.secret("refresh_token", "the OAuth 2.0 refresh token with the adwords scope"));

    private final HttpClient http;
    private final URI baseUrl;
    private final Clock clock;
    private final GoogleTokenCache tokens;

    public GoogleAdsDestination(HttpClient http, URI baseUrl, URI oauthUrl, Clock clock) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.tokens = new GoogleTokenCache(http, oauthUrl, clock);
    }

    @Override
    public DestinationType type() {
        return DestinationType.GOOGLE_ADS;
    }

    @Override
    public List<ConfigField> fields() {
        return FIELDS;
    }

    @Override
    public void check(DestinationConfig config) {
        String customer = digits(config.get("customer_id"));
        if (customer != null && customer.length() != 10) {
            throw DestinationError.invalid("config.customer_id", "a Google Ads customer id has 10 digits");
        }
    }

    /** A rule names its conversion action by id: refused here, it would otherwise dead-letter every event it matched. */
    @Override
    public void checkRule(EventRule rule) {
        ACTION.checkRule(rule);
    }

    @Override
    public void checkMapping(DestinationConfig config, List<EventRule> rules) {
        ACTION.checkMapping(config, rules);
    }

    /** Conversions go to the configured conversion action unless a rule names another. */
    @Override
    public List<EventRule> defaultRules() {
        return List.of(new EventRule("conversion", null));
    }

    @Override
    public String defaultEventName(Outgoing event) {
        return CONFIGURED_ACTION;
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public Duration window() {
        return WINDOW;
    }

    @Override
    public List<Outcome> send(DestinationConfig config, List<Outgoing> batch) throws InterruptedException {
        OutcomeSlots slots = new OutcomeSlots(batch.size());
        String customerId = digits(config.require("customer_id"));
        ArrayNode conversions = JSON.createArrayNode();
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Outgoing event = batch.get(i);
            Outcome skip = skipReason(event);
            String action = ACTION.of(event, config);
            if (skip != null) {
                slots.set(i, skip);
            } else if (!ACTION.valid(action)) {
                slots.set(i, new Outcome.Failed(ACTION.refusal()));
            } else {
                conversions.add(conversion(event, customerId, action));
                sent.add(i);
            }
        }
        if (sent.isEmpty()) {
            return slots.toList();
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("conversions", conversions);
        body.put("partialFailure", true);
        upload(config, customerId, body.toString(), sent, slots);
        return slots.toList();
    }

    private Outcome skipReason(Outgoing event) {
        if (event.occurredAt().isBefore(clock.instant().minus(WINDOW))) {
            return new Outcome.Skipped("older than 90 days: Google Ads accepts click conversions only within the "
                    + "click-through window, at most 90 days (EXPIRED_EVENT)");
        }
        boolean click = event.clickId("gclid") != null || event.clickId("gbraid") != null || event.clickId("wbraid") != null;
        boolean hashed = PlatformMessages.isSha256Hex(event.emailSha256()) || PlatformMessages.isSha256Hex(event.phoneE164Sha256());
        if (!click && !hashed) {
            return new Outcome.Skipped("no gclid, gbraid, wbraid or hashed email/phone: Google Ads cannot match the conversion");
        }
        return null;
    }

    private ObjectNode conversion(Outgoing event, String customerId, String actionId) {
        ObjectNode c = JSON.createObjectNode();
        if (event.clickId("gclid") != null) {
            c.put("gclid", event.clickId("gclid"));
        } else if (event.clickId("gbraid") != null) {
            c.put("gbraid", event.clickId("gbraid"));
        } else if (event.clickId("wbraid") != null) {
            c.put("wbraid", event.clickId("wbraid"));
        }
        c.put("conversionAction", "customers/" + customerId + "/conversionActions/" + actionId);
        c.put("conversionDateTime", GOOGLE_TIME.format(event.occurredAt()));
        if (event.value() != null) {
            c.put("conversionValue", event.value());
        }
        if (event.currency() != null) {
            c.put("currencyCode", event.currency());
        }
        c.put("orderId", event.eventId().toString());
        ArrayNode ids = JSON.createArrayNode();
        if (PlatformMessages.isSha256Hex(event.emailSha256())) {
            ids.addObject().put("hashedEmail", event.emailSha256());
        }
        if (PlatformMessages.isSha256Hex(event.phoneE164Sha256())) {
            ids.addObject().put("hashedPhoneNumber", event.phoneE164Sha256());
        }
        if (!ids.isEmpty()) {
            c.set("userIdentifiers", ids);
        }
        c.putObject("consent").put("adUserData", "GRANTED");
        return c;
    }

    private void upload(DestinationConfig config, String customerId, String body, List<Integer> sent, OutcomeSlots slots)
            throws InterruptedException {
        String clientId = config.require("client_id");
        String clientSecret = config.require("client_secret");
        String refreshToken = config.require("refresh_token");
        for (int attempt = 0; ; attempt++) {
            GoogleTokenCache.Grant grant = tokens.token(clientId, clientSecret, refreshToken);
            if (!grant.granted()) {
                String message = PlatformMessages.clean(grant.error(), config);
                slots.fill(sent, grant.transientError() ? new Outcome.Retry(null, message) : new Outcome.Failed(message));
                return;
            }
            PlatformReply reply = PlatformReply.exchange(http, request(config, customerId, grant.accessToken(), body));
            if (reply.status() == 401 && attempt == 0) {
                // An access token can be revoked before its stated expiry: ask for a new one, once.
                tokens.invalidate(clientId, clientSecret, refreshToken);
                continue;
            }
            GoogleAdsReply.apply(reply, sent, slots, config, clock);
            return;
        }
    }

    private HttpRequest request(DestinationConfig config, String customerId, String accessToken, String body) {
        String version = config.get("api_version") != null ? config.get("api_version") : DEFAULT_API_VERSION;
        URI uri = baseUrl.resolve("/" + version + "/customers/" + customerId + ":uploadClickConversions");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + accessToken)
                .header("developer-token", config.require("developer_token"));
        String login = digits(config.get("login_customer_id"));
        if (login != null) {
            b.header("login-customer-id", login);
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    /**
     * Google already has this conversion: the same click and time ({@code CLICK_CONVERSION_ALREADY_EXISTS}), or the
     * same order id, which is the Sightline event id. That is what a re-send after a crash meets, and it means the
     * first send got through: delivered, not a dead letter.
     */
    static boolean alreadyUploaded(JsonNode error) {
        String code = error.path("errorCode").path("conversionUploadError").asText("");
        return code.equals("CLICK_CONVERSION_ALREADY_EXISTS") || code.equals("ORDER_ID_ALREADY_IN_USE");
    }

    static boolean tooRecent(JsonNode error) {
        String code = error.path("errorCode").path("conversionUploadError").asText("");
        return code.equals("TOO_RECENT_EVENT") || code.equals("TOO_RECENT_CONVERSION_ACTION");
    }

    static Duration tooRecentRetry() {
        return TOO_RECENT_RETRY;
    }

    private static String digits(String id) {
        return id == null ? null : id.replace("-", "");
    }
}
