package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The GA4 Measurement Protocol client ("Send Measurement Protocol events", developers.google.com/analytics/devguides/
 * collection/protocol/ga4/sending-events, and its reference): {@code POST {base}/mp/collect} with
 * {@code measurement_id} and {@code api_secret} for a web stream, or {@code firebase_app_id} and {@code api_secret}
 * for an app stream, both in the query string as the protocol requires.
 *
 * <p>Rules it follows:
 * <ul>
 *   <li><b>Identity per request</b>: {@code client_id} (web) or {@code app_instance_id} (app), {@code user_id} and
 *       {@code user_data} belong to the request, not the event, so a batch is split into one request per person, each
 *       with at most 25 events (the protocol's limit). {@code client_id} should be the Google tag's own id, so an
 *       event property {@code client_id} wins; else Sightline's visitor id stands in. An app stream needs the Firebase
 *       SDK's {@code app_instance_id} (32 hex characters), which only the app knows: it must send it as the property
 *       {@code app_instance_id}, and an event without it is skipped with that reason.</li>
 *   <li><b>Time</b>: {@code timestamp_micros} on the request and on each event. Events can be backdated 72 hours
 *       ("3 calendar days" in the reference); older ones are {@link Outcome.Skipped}.</li>
 *   <li><b>Names and parameters</b> ({@link Ga4Names}): GA4's naming rules, reserved names and prefixes; rule names
 *       are refused at config time, derived names made valid, properties that break the rules left out, string
 *       values cut to 100 characters, at most 25 parameters. A conversion is {@code purchase} with {@code value},
 *       {@code currency} and {@code transaction_id} (the Sightline event id, GA4's purchase dedup key), or
 *       {@code generate_lead} when it has no value.</li>
 *   <li><b>User-provided data</b> ("Send user-provided data with User-ID", .../ga4/uid-data):
 *       {@code user_data.sha256_email_address} and {@code sha256_phone_number} as lists of SHA-256 hex, with
 *       {@code user_id} when known, and {@code consent.ad_user_data} {@code GRANTED}: only events whose sender gave
 *       ads consent reach an advertising destination.</li>
 *   <li><b>Answers</b>: the protocol "always returns a 2xx status code if the HTTP request was received", even for
 *       a malformed payload, so a 2xx is all a send can learn. {@link #validate} posts the same requests to the
 *       validation server ({@code /debug/mp/collect}, "Validate events") and returns its {@code validationMessages};
 *       it is for tests and for an operator checking a mapping, never called per send (events sent there are not
 *       recorded). A 429 or 5xx is a {@link Outcome.Retry}; any other status {@link Outcome.Failed}.</li>
 * </ul>
 */
public final class Ga4Destination implements Platform {
    public static final URI DEFAULT_BASE_URL = URI.create("https://www.google-analytics.com");
    public static final int MAX_BATCH = 25;
    public static final Duration WINDOW = Duration.ofHours(72);
    static final String TOO_OLD = "older than GA4's 72-hour window";
    static final String NO_APP_INSTANCE = "no Firebase app_instance_id: an app stream needs the app to send it as "
            + "the event property app_instance_id";
    private static final Duration IN_FLIGHT_MARGIN = Duration.ofMinutes(1);

    private final HttpClient http;
    private final URI baseUrl;
    private final Clock clock;

    public Ga4Destination(HttpClient http, URI baseUrl, Clock clock) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    @Override
    public DestinationType type() {
        return DestinationType.GA4;
    }

    @Override
    public List<ConfigField> fields() {
        return List.of(
                ConfigField.optional("measurement_id", "G-[A-Z0-9]{4,20}",
                        "a web stream's measurement id (G-...); give it or firebase_app_id"),
                ConfigField.optional("firebase_app_id", "[0-9]{1,3}:[0-9]{1,20}:(android|ios|web):[0-9a-f]{1,40}",
                        "an app stream's Firebase app id; give it or measurement_id"),
                ConfigField.secret("api_secret", "a Measurement Protocol API secret of the stream"));
    }

    @Override
    public void check(DestinationConfig config) {
        boolean web = config.get("measurement_id") != null;
        boolean app = config.get("firebase_app_id") != null;
        if (web == app) {
            throw DestinationError.invalid("config.measurement_id",
                    "give exactly one of measurement_id (web stream) and firebase_app_id (app stream)");
        }
    }

    @Override
    public void checkRule(EventRule rule) {
        if (rule.name() != null) {
            String problem = Ga4Names.eventNameProblem(rule.name());
            if (problem != null) {
                throw DestinationError.invalid("name", problem);
            }
        }
    }

    @Override
    public List<EventRule> defaultRules() {
        return List.of(new EventRule("conversion", null));
    }

    @Override
    public String defaultEventName(Outgoing event) {
        return switch (event.eventType()) {
            case "conversion" -> event.value() != null ? "purchase" : "generate_lead";
            case "custom" -> Ga4Names.eventName(event.eventName());
            default -> Ga4Names.eventName(event.eventType());
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
        Map<Ga4Request.Identity, List<Integer>> byPerson = group(config, batch, outcomes);
        List<List<Integer>> parts = new ArrayList<>(byPerson.values());
        List<CompletableFuture<Outcome>> pending = new ArrayList<>();
        for (List<Integer> part : parts) {
            String body = Ga4Request.body(config, part.stream().map(batch::get).toList());
            HttpRequest request = PlatformHttp.postJson(collectUri(config, "/mp/collect"), body).build();
            pending.add(PlatformHttp.exchange(http, request, "GA4", config, r -> classify(r, config)));
        }
        List<Outcome> answers = PlatformHttp.awaitAll(pending);
        for (int p = 0; p < parts.size(); p++) {
            Outcome answer = answers.get(p);
            parts.get(p).forEach(i -> outcomes[i] = answer);
        }
        return Arrays.asList(outcomes);
    }

    /**
     * The validation server's messages for these events, as {@code fieldPath: description (validationCode)}; empty
     * when GA4 finds nothing wrong. Not for the send path: events sent there are not recorded.
     */
    public List<String> validate(DestinationConfig config, List<Outgoing> batch) throws InterruptedException {
        Outcome[] ignored = new Outcome[batch.size()];
        List<String> messages = new ArrayList<>();
        for (List<Integer> part : group(config, batch, ignored).values()) {
            String body = Ga4Request.body(config, part.stream().map(batch::get).toList());
            HttpRequest request = PlatformHttp.postJson(collectUri(config, "/debug/mp/collect"), body).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (!PlatformHttp.success(response.statusCode())) {
                    messages.add(PlatformHttp.scrub("GA4 validation server answered " + response.statusCode(),
                            config));
                    continue;
                }
                for (JsonNode m : PlatformHttp.JSON.readTree(response.body()).path("validationMessages")) {
                    messages.add(m.path("fieldPath").asText() + ": " + m.path("description").asText()
                            + " (" + m.path("validationCode").asText() + ")");
                }
            } catch (IOException e) {
                messages.add(((Outcome.Retry) PlatformHttp.unreachable("GA4", e, config)).message());
            }
        }
        return messages;
    }

    /** The events GA4 may still take, by the person they belong to; the others get their skip reason. */
    private Map<Ga4Request.Identity, List<Integer>> group(DestinationConfig config, List<Outgoing> batch,
                                                         Outcome[] outcomes) {
        Instant oldest = clock.instant().minus(WINDOW).plus(IN_FLIGHT_MARGIN);
        boolean appStream = config.get("firebase_app_id") != null;
        Map<Ga4Request.Identity, List<Integer>> byPerson = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Outgoing e = batch.get(i);
            if (e.occurredAt().isBefore(oldest)) {
                outcomes[i] = new Outcome.Skipped(TOO_OLD);
                continue;
            }
            Ga4Request.Identity who = Ga4Request.identity(e, appStream);
            if (who == null) {
                outcomes[i] = new Outcome.Skipped(NO_APP_INSTANCE);
                continue;
            }
            byPerson.computeIfAbsent(who, k -> new ArrayList<>()).add(i);
        }
        return byPerson;
    }

    private URI collectUri(DestinationConfig config, String path) {
        String stream = config.get("measurement_id") != null
                ? "measurement_id=" + encode(config.get("measurement_id"))
                : "firebase_app_id=" + encode(config.require("firebase_app_id"));
        return URI.create(MetaDestination.stripTrailingSlash(baseUrl.toString()) + path + "?" + stream
                + "&api_secret=" + encode(config.require("api_secret")));
    }

    private Outcome classify(HttpResponse<String> response, DestinationConfig config) {
        int status = response.statusCode();
        if (PlatformHttp.success(status)) {
            return Outcome.DELIVERED;
        }
        String message = PlatformHttp.scrub("GA4 answered " + status + ": " + PlatformHttp.snippet(response.body()),
                config);
        return PlatformHttp.transientStatus(status)
                ? new Outcome.Retry(PlatformHttp.retryAfter(response, clock), message)
                : new Outcome.Failed(message);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
