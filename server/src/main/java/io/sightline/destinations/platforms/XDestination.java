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

import java.io.IOException;
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
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * X (Twitter) Conversion API: {@code POST {base}/12/measurement/conversions/{pixel_id}}, signed with OAuth 1.0a.
 *
 * <p>Documented rules it follows (docs.x.com/x-ads-api/measurement/web-conversions and its API reference,
 * developer.x.com/en/docs/x-ads-api/measurement/web-conversions/conversions, and .../troubleshooting):
 * <ul>
 *   <li>Body {@code conversions[]}, at most 500 per request ("Conversion count limit is 500"). Each has
 *       {@code conversion_time} (ISO 8601 with milliseconds, as the reference example
 *       {@code 2022-02-18T01:14:00.603Z}), {@code event_id} (the rule's name: {@code tw-pixel-event} or the bare
 *       event id), {@code identifiers} (one object per identifier: {@code twclid}, {@code hashed_email},
 *       {@code hashed_phone_number}, the last two SHA-256 of the trimmed email and the E.164 phone; the IP address
 *       and User-Agent only beside another identifier, and only when the destination may send them),
 *       {@code conversion_id} (dedup with the pixel; the Sightline event id), {@code value},
 *       {@code price_currency} and {@code number_items} (a positive integer, read from the event's
 *       {@code number_items} or {@code quantity} property).</li>
 *   <li>At least one identifier is required ("At least one user identifier must be provided"): events without one
 *       are skipped.</li>
 *   <li>"A single request will only be successful when there are zero errors for all conversions": a 400 with
 *       {@code errors[]} fails the whole batch with X's messages. 401 and 403 are permanent; 429 (with
 *       {@code x-rate-limit-reset}, an epoch second) and 5xx transient.</li>
 *   <li>Window: X documents no age limit for {@code conversion_time}; the longest attribution window X's event
 *       tags offer is 30 days after engagement, so an older conversion can never be attributed and is skipped.</li>
 * </ul>
 */
public final class XDestination implements Platform {
    public static final URI DEFAULT_BASE_URL = URI.create("https://ads-api.x.com");
    public static final String API_VERSION = "12";
    public static final String CONFIGURED_EVENT = TargetId.CONFIGURED;
    static final int MAX_BATCH = 500;
    static final Duration WINDOW = Duration.ofDays(30);
    private static final TargetId EVENT = new TargetId("X", "event_id",
            Pattern.compile("(tw-[0-9a-z]{1,16}-)?[0-9a-z]{1,16}"),
            "an event id (tw-<pixel id>-<event id>, or the bare event id)");
    private static final DateTimeFormatter X_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<ConfigField> FIELDS = List.of(
            ConfigField.required("pixel_id", "[0-9a-z]{1,16}", "the base tag (pixel) id of the ad account, base-36"),
            ConfigField.optional("event_id", "(tw-[0-9a-z]{1,16}-)?[0-9a-z]{1,16}", "the event id for rules that name none"),
            ConfigField.secret("consumer_key", "the app's API key (OAuth 1.0a consumer key)"),
            ConfigField.secret("consumer_secret", "the app's API key secret"),
            ConfigField.secret("access_token", "the user access token of an AD_MANAGER or ACCOUNT_ADMIN"),
            ConfigField.secret("access_token_secret", "the user access token secret"));

    private final HttpClient http;
    private final URI baseUrl;
    private final Clock clock;
    private final OAuth1Signer signer;

    public XDestination(HttpClient http, URI baseUrl, Clock clock) {
        this(http, baseUrl, clock, OAuth1Signer.randomNonces());
    }

    /** With a given nonce source, so a test can recompute the exact signature. */
    XDestination(HttpClient http, URI baseUrl, Clock clock, Supplier<String> nonces) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.signer = new OAuth1Signer(nonces, clock);
    }

    @Override
    public DestinationType type() {
        return DestinationType.X;
    }

    @Override
    public List<ConfigField> fields() {
        return FIELDS;
    }

    /** A rule names an X event id: refused here, it would otherwise dead-letter every event it matched. */
    @Override
    public void checkRule(EventRule rule) {
        EVENT.checkRule(rule);
    }

    @Override
    public void checkMapping(DestinationConfig config, List<EventRule> rules) {
        EVENT.checkMapping(config, rules);
    }

    @Override
    public List<EventRule> defaultRules() {
        return List.of(new EventRule("conversion", null));
    }

    @Override
    public String defaultEventName(Outgoing event) {
        return CONFIGURED_EVENT;
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
        ArrayNode conversions = JSON.createArrayNode();
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Outgoing event = batch.get(i);
            String eventId = EVENT.of(event, config);
            ArrayNode identifiers = identifiers(event);
            if (event.occurredAt().isBefore(clock.instant().minus(WINDOW))) {
                slots.set(i, new Outcome.Skipped("older than 30 days: beyond the longest attribution window X offers"));
            } else if (identifiers.isEmpty()) {
                slots.set(i, new Outcome.Skipped("no twclid and no hashed email or phone: X needs at least one user identifier"));
            } else if (!EVENT.valid(eventId)) {
                slots.set(i, new Outcome.Failed(EVENT.refusal()));
            } else {
                conversions.add(conversion(event, eventId, identifiers));
                sent.add(i);
            }
        }
        if (!sent.isEmpty()) {
            ObjectNode body = JSON.createObjectNode();
            body.set("conversions", conversions);
            apply(PlatformReply.exchange(http, request(config, body.toString())), sent, slots, config);
        }
        return slots.toList();
    }

    private ArrayNode identifiers(Outgoing event) {
        ArrayNode ids = JSON.createArrayNode();
        if (event.clickId("twclid") != null) {
            ids.addObject().put("twclid", event.clickId("twclid"));
        }
        if (PlatformMessages.isSha256Hex(event.emailSha256())) {
            ids.addObject().put("hashed_email", event.emailSha256());
        }
        if (PlatformMessages.isSha256Hex(event.phoneE164Sha256())) {
            ids.addObject().put("hashed_phone_number", event.phoneE164Sha256());
        }
        // X: IP address and User-Agent match only beside another identifier; Outgoing holds them only when allowed.
        if (!ids.isEmpty() && event.clientIp() != null) {
            ids.addObject().put("ip_address", event.clientIp().strip());
        }
        if (!ids.isEmpty() && event.userAgent() != null) {
            ids.addObject().put("user_agent", event.userAgent().strip());
        }
        return ids;
    }

    private ObjectNode conversion(Outgoing event, String eventId, ArrayNode identifiers) {
        ObjectNode c = JSON.createObjectNode();
        c.put("conversion_time", X_TIME.format(event.occurredAt()));
        c.put("event_id", eventId);
        c.set("identifiers", identifiers);
        c.put("conversion_id", event.eventId().toString());
        if (event.value() != null) {
            c.put("value", event.value());
        }
        if (event.currency() != null) {
            c.put("price_currency", event.currency());
        }
        Integer items = numberItems(event.propertiesJson());
        if (items != null) {
            c.put("number_items", items);
        }
        return c;
    }

    private static Integer numberItems(String propertiesJson) {
        try {
            JsonNode props = JSON.readTree(propertiesJson);
            for (String name : new String[] {"number_items", "quantity"}) {
                JsonNode n = props.path(name);
                if (n.canConvertToInt() && n.isIntegralNumber() && n.asInt() > 0) {
                    return n.asInt();
                }
            }
        } catch (IOException notJson) {
            // properties are validated at ingestion; an unreadable text just means no item count
        }
        return null;
    }

    private HttpRequest request(DestinationConfig config, String body) {
        URI uri = baseUrl.resolve("/" + API_VERSION + "/measurement/conversions/" + config.require("pixel_id"));
        OAuth1Signer.Credentials credentials = new OAuth1Signer.Credentials(config.require("consumer_key"),
                config.require("consumer_secret"), config.require("access_token"), config.require("access_token_secret"));
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", signer.authorization("POST", uri, credentials))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    private void apply(PlatformReply reply, List<Integer> sent, OutcomeSlots slots, DestinationConfig config) {
        if (!reply.answered()) {
            slots.fill(sent, new Outcome.Retry(null, reply.failure()));
            return;
        }
        if (reply.ok()) {
            slots.fill(sent, Outcome.DELIVERED);
            return;
        }
        String message = PlatformMessages.clean(errorMessage(reply), config);
        if (reply.transientStatus()) {
            java.time.Duration after = RetryAfter.fromEpochReset(reply.headers(), "x-rate-limit-reset", clock);
            slots.fill(sent, new Outcome.Retry(after != null ? after : RetryAfter.fromHeader(reply.headers(), clock), message));
        } else {
            slots.fill(sent, new Outcome.Failed(message));
        }
    }

    /** X's error shape: {@code {"errors": [{"code": ..., "message": ...}], "request": {...}}}; all messages joined. */
    private static String errorMessage(PlatformReply reply) {
        StringBuilder text = new StringBuilder("HTTP " + reply.status());
        try {
            JsonNode body = JSON.readTree(reply.body() == null || reply.body().isBlank() ? "{}" : reply.body());
            String sep = ": ";
            for (JsonNode e : body.path("errors")) {
                text.append(sep).append(e.path("code").asText("")).append(e.has("code") ? " " : "").append(e.path("message").asText(""));
                sep = "; ";
            }
        } catch (IOException notJson) {
            // the status alone says enough
        }
        return text.toString();
    }
}
