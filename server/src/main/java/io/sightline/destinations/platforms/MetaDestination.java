package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.destinations.ConfigField;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.DestinationType;
import io.sightline.destinations.EventRule;
import io.sightline.destinations.Outcome;
import io.sightline.destinations.Outgoing;
import io.sightline.destinations.Platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The Meta Conversions API client: {@code POST {base}/{api_version}/{pixel_id}/events} with a JSON body
 * {@code {"data": [server events], "access_token": ..., "test_event_code": ...}} ("Using the API" and "Main Body
 * Parameters", developers.facebook.com/docs/marketing-api/conversions-api/using-the-api). The token travels in the
 * body, not the query string, so it never appears in a URL that a proxy or an exception could log. Each event is
 * built by {@link MetaServerEvent}.
 *
 * <p>Rules it follows, each from Meta's documentation:
 * <ul>
 *   <li><b>Batch</b>: at most 1,000 events in {@code data}, and one invalid event makes Meta reject the whole
 *       request. So a permanent refusal of a request with several events is split in halves and re-sent until the
 *       refused events stand alone: one bad event is dead-lettered, not the 999 good ones beside it. An
 *       authorisation error is not split, since every part would fail the same way.</li>
 *   <li><b>Window</b>: "event_time can be up to 7 days before you send"; if any event is older "we return an error
 *       for the entire request". Older events are therefore {@link Outcome.Skipped} before the request is built, with
 *       a minute's margin so an event on the edge does not age out in flight.</li>
 *   <li><b>Errors</b> ("Handling Errors", developers.facebook.com/docs/graph-api/guides/error-handling, and
 *       "Rate Limiting", .../marketing-api/overview/rate-limiting): the body is {@code {"error": {"message", "type",
 *       "code", "error_subcode", "is_transient", "error_user_msg", "fbtrace_id"}}}. A 5xx or 429, {@code is_transient}
 *       true, or a code the guides call temporary (1 unknown/downtime, 2 service, 4 and 17 too many calls, 32 page
 *       rate limit, 341 application limit, 613 and 80004 ad-account rate limits) is a {@link Outcome.Retry}, after
 *       {@code Retry-After} when given; any other 4xx is {@link Outcome.Failed} with Meta's message, code, subcode and
 *       {@code fbtrace_id} (what Meta's support asks for). No message ever carries the access token.</li>
 *   <li><b>Naming</b>: a conversion is {@code Purchase} (with {@code value} and {@code currency} in
 *       {@code custom_data}), or {@code Lead} when it has no value: the standard events Meta optimises for.</li>
 * </ul>
 */
public final class MetaDestination implements Platform {
    public static final URI DEFAULT_BASE_URL = URI.create("https://graph.facebook.com");
    /** A Graph API version in its two-year support period; an admin may set {@code api_version} to a newer one. */
    public static final String DEFAULT_API_VERSION = "v24.0";
    public static final int MAX_BATCH = 1000;
    public static final Duration WINDOW = Duration.ofDays(7);
    static final String TOO_OLD = "older than Meta's 7-day window";
    private static final Duration IN_FLIGHT_MARGIN = Duration.ofMinutes(1);
    private static final Set<Integer> TEMPORARY_CODES = Set.of(1, 2, 4, 17, 32, 341, 613, 80004);
    /** Token expired or invalid (190, 102), permission missing (10, 200-299): the same for every event of a request. */
    private static final Set<Integer> WHOLE_REQUEST_CODES = Set.of(10, 102, 190);

    private final HttpClient http;
    private final URI baseUrl;
    private final Clock clock;

    public MetaDestination(HttpClient http, URI baseUrl, Clock clock) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    @Override
    public DestinationType type() {
        return DestinationType.META;
    }

    @Override
    public List<ConfigField> fields() {
        return List.of(
                ConfigField.required("pixel_id", "[0-9]{1,20}", "the pixel (dataset) id, digits only"),
                ConfigField.secret("access_token", "a Conversions API access token from Events Manager"),
                ConfigField.optional("test_event_code", "[A-Za-z0-9_-]{1,64}",
                        "sends to Events Manager's Test Events tab instead of production (e.g. TEST12345)"),
                ConfigField.optional("api_version", "v[0-9]{1,3}\\.[0-9]{1,2}",
                        "the Graph API version, default " + DEFAULT_API_VERSION));
    }

    @Override
    public List<EventRule> defaultRules() {
        return List.of(new EventRule("conversion", null));
    }

    @Override
    public String defaultEventName(Outgoing event) {
        return switch (event.eventType()) {
            case "conversion" -> event.value() != null ? "Purchase" : "Lead";
            case "custom" -> event.eventName() != null ? event.eventName() : "custom";
            default -> event.eventType();
        };
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
        Outcome[] outcomes = new Outcome[batch.size()];
        Instant oldest = clock.instant().minus(WINDOW).plus(IN_FLIGHT_MARGIN);
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).occurredAt().isBefore(oldest)) {
                outcomes[i] = new Outcome.Skipped(TOO_OLD);
            } else {
                fresh.add(i);
            }
        }
        if (!fresh.isEmpty()) {
            sendIsolatingRefusals(config, batch, fresh, outcomes);
        }
        return Arrays.asList(outcomes);
    }

    private void sendIsolatingRefusals(DestinationConfig config, List<Outgoing> batch, List<Integer> part,
                                       Outcome[] outcomes) throws InterruptedException {
        Answer answer = post(config, part.stream().map(batch::get).toList());
        if (answer.outcome() instanceof Outcome.Failed && part.size() > 1 && !answer.wholeRequest()) {
            int half = part.size() / 2;
            sendIsolatingRefusals(config, batch, part.subList(0, half), outcomes);
            sendIsolatingRefusals(config, batch, part.subList(half, part.size()), outcomes);
            return;
        }
        part.forEach(i -> outcomes[i] = answer.outcome());
    }

    /** One request's outcome, and whether the refusal concerns the request as a whole (token, permission). */
    private record Answer(Outcome outcome, boolean wholeRequest) {}

    private Answer post(DestinationConfig config, List<Outgoing> events) throws InterruptedException {
        ObjectNode body = PlatformHttp.JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        events.forEach(e -> data.add(MetaServerEvent.of(e)));
        body.put("access_token", config.require("access_token"));
        String testCode = config.get("test_event_code");
        if (testCode != null && !testCode.isBlank()) {
            body.put("test_event_code", testCode);
        }
        HttpRequest request = PlatformHttp.postJson(eventsUri(config), PlatformHttp.write(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return classify(response, config);
        } catch (IOException e) {
            return new Answer(PlatformHttp.unreachable("Meta", e, config), true);
        }
    }

    URI eventsUri(DestinationConfig config) {
        String version = config.get("api_version");
        String path = "/" + (version == null || version.isBlank() ? DEFAULT_API_VERSION : version)
                + "/" + config.require("pixel_id") + "/events";
        return URI.create(stripTrailingSlash(baseUrl.toString()) + path);
    }

    private Answer classify(HttpResponse<String> response, DestinationConfig config) {
        int status = response.statusCode();
        if (PlatformHttp.success(status)) {
            return new Answer(Outcome.DELIVERED, false);
        }
        JsonNode error = errorNode(response.body());
        int code = error.path("code").asInt(-1);
        String message = PlatformHttp.scrub(describe(status, error, response.body()), config);
        boolean temporary = PlatformHttp.transientStatus(status)
                || error.path("is_transient").asBoolean(false)
                || TEMPORARY_CODES.contains(code);
        if (temporary) {
            return new Answer(new Outcome.Retry(PlatformHttp.retryAfter(response, clock), message), true);
        }
        boolean wholeRequest = status == 401 || status == 403 || WHOLE_REQUEST_CODES.contains(code)
                || (code >= 200 && code <= 299);
        return new Answer(new Outcome.Failed(message), wholeRequest);
    }

    private static JsonNode errorNode(String body) {
        try {
            return PlatformHttp.JSON.readTree(body == null ? "" : body).path("error");
        } catch (IOException notJson) {
            return PlatformHttp.JSON.missingNode();
        }
    }

    private static String describe(int status, JsonNode error, String body) {
        if (error.isMissingNode() || !error.has("message")) {
            return "Meta answered " + status + ": " + PlatformHttp.snippet(body);
        }
        StringBuilder s = new StringBuilder("Meta answered ").append(status).append(": ")
                .append(error.path("message").asText());
        if (error.hasNonNull("error_user_msg")) {
            s.append(" (").append(error.path("error_user_msg").asText()).append(')');
        }
        s.append(" [code ").append(error.path("code").asText("?"));
        if (error.hasNonNull("error_subcode")) {
            s.append(", subcode ").append(error.path("error_subcode").asText());
        }
        if (error.hasNonNull("fbtrace_id")) {
            s.append(", fbtrace_id ").append(error.path("fbtrace_id").asText());
        }
        return s.append(']').toString();
    }

    static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
