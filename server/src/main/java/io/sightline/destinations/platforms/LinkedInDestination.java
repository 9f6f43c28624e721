package io.sightline.destinations.platforms;

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

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * LinkedIn Conversions API: {@code POST {base}/rest/conversionEvents} with {@code X-RestLi-Method: BATCH_CREATE}.
 *
 * <p>Documented rules it follows (learn.microsoft.com/linkedin/marketing/integrations/ads-reporting/conversions-api
 * and its schema page):
 * <ul>
 *   <li>Headers: {@code LinkedIn-Version: YYYYMM} and {@code X-Restli-Protocol-Version: 2.0.0} on every call,
 *       {@code Authorization: Bearer} with a token holding {@code rw_conversions}.</li>
 *   <li>Each element: {@code conversion} = {@code urn:lla:llaPartnerConversion:{rule id}},
 *       {@code conversionHappenedAt} in epoch milliseconds, {@code conversionValue} {@code {currencyCode, amount}}
 *       with the amount as a decimal string, {@code eventId} (deduplicated against the Insight Tag and re-sends;
 *       the Sightline event id), and {@code user.userIds} of {@code SHA256_EMAIL} and
 *       {@code LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID} (the {@code li_fat_id} click id). {@code userInfo} needs a
 *       first and last name, which Sightline does not collect, so it is never sent.</li>
 *   <li>An event with no user id cannot be matched and is skipped.</li>
 *   <li>Window: an event must reach LinkedIn within 90 days of happening, older ones are rejected (LinkedIn's
 *       Conversions API FAQ; restated by partners, e.g. developer.salesforce.com ... c360-a-linkedincapi-connector).</li>
 *   <li>Batch: up to 5,000 events in one batch call (as LinkedIn partners document it: Salesforce's connector page
 *       and RudderStack's LinkedIn Ads destination; LinkedIn's own page gives no other number).</li>
 *   <li>Answer: BATCH_CREATE answers {@code elements[i].status} per element (201 accepted); a 4xx element carries
 *       its {@code error.message}. A 422 for the request names the failing elements under {@code errors} by index;
 *       the others were accepted. 429 and 5xx are transient; 401, 403 and other 4xx permanent.</li>
 * </ul>
 */
public final class LinkedInDestination implements Platform {
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.linkedin.com");
    /** A recent monthly version; LinkedIn supports each for about a year. {@code config.linkedin_version} overrides. */
    public static final String DEFAULT_VERSION = "202607";
    public static final String CONFIGURED_RULE = TargetId.CONFIGURED;
    static final int MAX_BATCH = 5_000;
    static final Duration WINDOW = Duration.ofDays(90);
    private static final TargetId RULE = new TargetId("LinkedIn", "conversion_rule_id",
            Pattern.compile("[0-9]{1,20}"), "a conversion rule id (digits)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<ConfigField> FIELDS = List.of(
            ConfigField.secret("access_token", "an OAuth 2.0 access token with the rw_conversions scope"),
            ConfigField.optional("conversion_rule_id", "[0-9]{1,20}", "the conversion rule id for rules that name none"),
            ConfigField.optional("linkedin_version", "20[0-9]{2}(0[1-9]|1[0-2])",
                    "the LinkedIn-Version header, YYYYMM (default " + DEFAULT_VERSION + ")"));

    private final HttpClient http;
    private final URI baseUrl;
    private final Clock clock;

    public LinkedInDestination(HttpClient http, URI baseUrl, Clock clock) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    @Override
    public DestinationType type() {
        return DestinationType.LINKEDIN;
    }

    @Override
    public List<ConfigField> fields() {
        return FIELDS;
    }

    /** A rule names its conversion rule by id: refused here, it would otherwise dead-letter every event it matched. */
    @Override
    public void checkRule(EventRule rule) {
        RULE.checkRule(rule);
    }

    @Override
    public void checkMapping(DestinationConfig config, List<EventRule> rules) {
        RULE.checkMapping(config, rules);
    }

    @Override
    public List<EventRule> defaultRules() {
        return List.of(new EventRule("conversion", null));
    }

    @Override
    public String defaultEventName(Outgoing event) {
        return CONFIGURED_RULE;
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
        ArrayNode elements = JSON.createArrayNode();
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Outgoing event = batch.get(i);
            String rule = RULE.of(event, config);
            ObjectNode element = element(event, rule);
            if (event.occurredAt().isBefore(clock.instant().minus(WINDOW))) {
                slots.set(i, new Outcome.Skipped("older than 90 days: LinkedIn rejects conversions sent more than 90 days after they happened"));
            } else if (element.path("user").path("userIds").isEmpty()) {
                slots.set(i, new Outcome.Skipped("no hashed email and no li_fat_id: LinkedIn cannot match the conversion"));
            } else if (!RULE.valid(rule)) {
                slots.set(i, new Outcome.Failed(RULE.refusal()));
            } else {
                elements.add(element);
                sent.add(i);
            }
        }
        if (!sent.isEmpty()) {
            ObjectNode body = JSON.createObjectNode();
            body.set("elements", elements);
            PlatformReply reply = PlatformReply.exchange(http, request(config, body.toString()));
            LinkedInReply.apply(reply, sent, slots, config, clock);
        }
        return slots.toList();
    }

    private ObjectNode element(Outgoing event, String rule) {
        ObjectNode e = JSON.createObjectNode();
        e.put("conversion", "urn:lla:llaPartnerConversion:" + rule);
        e.put("conversionHappenedAt", event.occurredAt().toEpochMilli());
        if (event.value() != null && event.currency() != null) {
            e.putObject("conversionValue")
                    .put("currencyCode", event.currency())
                    .put("amount", BigDecimal.valueOf(event.value()).toPlainString());
        }
        e.put("eventId", event.eventId().toString());
        ArrayNode ids = e.putObject("user").putArray("userIds");
        if (PlatformMessages.isSha256Hex(event.emailSha256())) {
            ids.addObject().put("idType", "SHA256_EMAIL").put("idValue", event.emailSha256());
        }
        if (event.clickId("li_fat_id") != null) {
            ids.addObject().put("idType", "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID").put("idValue", event.clickId("li_fat_id"));
        }
        return e;
    }

    private HttpRequest request(DestinationConfig config, String body) {
        String version = config.get("linkedin_version") != null ? config.get("linkedin_version") : DEFAULT_VERSION;
        return HttpRequest.newBuilder(baseUrl.resolve("/rest/conversionEvents"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + config.require("access_token"))
                .header("LinkedIn-Version", version)
                .header("X-Restli-Protocol-Version", "2.0.0")
                .header("X-RestLi-Method", "BATCH_CREATE")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }
}
