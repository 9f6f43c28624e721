package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.destinations.ConfigField;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.DestinationError;
import io.sightline.destinations.DestinationType;
import io.sightline.destinations.EventRule;
import io.sightline.destinations.Outcome;
import io.sightline.destinations.Outgoing;
import io.sightline.destinations.Platform;
import io.sightline.event.EventType;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Umami client ("Sending stats", umami.is/docs/api/sending-stats): {@code POST {url}/api/send} with
 * {@code {"type": "event", "payload": {website, hostname, url, name, data, language, referrer, title, id}}}, no
 * credential, and a real User-Agent. The server is the destination's own {@code url}; {@link #DEFAULT_BASE_URL} is
 * Umami Cloud's address, which an admin may give as that {@code url}.
 *
 * <p>Choices, and why:
 * <ul>
 *   <li><b>User-Agent</b>: the docs say "you need to send a proper User-Agent HTTP header or your request won't be
 *       registered": Umami runs a bot check on it and answers 200 {@code {"beep": "boop"}} without recording
 *       anything. The JDK's own agent ({@code Java-http-client/17}) reads as a bot. So the event's own User-Agent is
 *       sent when the outbox may pass it on, else {@link #BROWSER_USER_AGENT}, a current desktop browser's string,
 *       the one form no bot list matches. (Umami then reports that browser for those events.) A {@code beep}
 *       answer is {@link Outcome.Failed}, never mistaken for a delivery.</li>
 *   <li><b>One event per request</b>: {@code /api/send} takes one event. A {@code /api/batch} exists in recent
 *       Umami sources but not on the published "Sending stats" page, older self-hosted servers answer it 404, and it
 *       replays every element with the one request's User-Agent, which would merge different visitors. So a batch
 *       goes out as concurrent single requests, each with its own outcome.</li>
 *   <li><b>App events</b> have no page URL. They are sent as the path {@code /app/<event type>} under the hostname
 *       {@code app}: Umami reads {@code url} against {@code https://<hostname>} and recent versions refuse a URL whose
 *       scheme is not http(s), so an {@code app://} URL would be refused or lose its path; the path form shows app
 *       events as stable "pages" in Umami's reports.</li>
 *   <li><b>Data</b>: the event's properties, plus {@code revenue} and {@code currency} for a value (the names Umami's
 *       revenue report and its server-side guide use). Umami's limits, from its source (the docs give none): event
 *       names of 50 characters, URLs and titles of 500, hostnames of 100, languages of 35, data strings of 500 and
 *       at most 50 properties; values are cut to them here so a long title does not cost the event.</li>
 *   <li><b>Time</b>: {@code timestamp} (Unix seconds), which current Umami records as the event's time and older
 *       versions ignore, so an event delivered after an outage lands on its own day.</li>
 *   <li><b>Window</b>: Umami has none. {@link #window()} is Sightline's own bound, 30 days, so that a server down for
 *       weeks still lets the outbox expire what waited.</li>
 *   <li><b>Answers</b>: 200 with {@code sessionId} is a delivery; a 4xx (an unknown website is a 400 "Website not
 *       found.") is {@link Outcome.Failed} with Umami's message; 429, 5xx and timeouts are {@link Outcome.Retry}.</li>
 * </ul>
 */
public final class UmamiDestination implements Platform {
    public static final URI DEFAULT_BASE_URL = URI.create("https://cloud.umami.is");
    public static final String BROWSER_USER_AGENT =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/124.0.0.0 Safari/537.36";
    public static final int MAX_BATCH = 20;
    public static final Duration WINDOW = Duration.ofDays(30);
    static final int MAX_NAME = 50;
    static final int MAX_URL = 500;
    static final int MAX_HOSTNAME = 100;
    static final int MAX_LANGUAGE = 35;
    static final int MAX_DATA_STRING = 500;
    static final int MAX_DATA_PROPERTIES = 50;

    private final HttpClient http;
    private final Clock clock = Clock.systemUTC();

    public UmamiDestination(HttpClient http) {
        this.http = http;
    }

    @Override
    public DestinationType type() {
        return DestinationType.UMAMI;
    }

    @Override
    public List<ConfigField> fields() {
        return List.of(
                ConfigField.required("url", "https?://\\S{1,500}",
                        "the Umami server, http or https, without credentials (e.g. https://cloud.umami.is)"),
                ConfigField.required("website_id",
                        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                        "the website's id in Umami (a UUID)"));
    }

    @Override
    public void check(DestinationConfig config) {
        URI url;
        try {
            url = new URI(config.require("url"));
        } catch (URISyntaxException e) {
            throw DestinationError.invalid("config.url", "not a URL");
        }
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw DestinationError.invalid("config.url", "the Umami server's URL must be http or https");
        }
        if (url.getHost() == null) {
            throw DestinationError.invalid("config.url", "the Umami server's URL needs a host");
        }
        if (url.getRawUserInfo() != null) {
            throw DestinationError.invalid("config.url", "the URL must not carry credentials");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw DestinationError.invalid("config.url", "the URL must not have a query or fragment");
        }
    }

    @Override
    public List<EventRule> defaultRules() {
        return Arrays.stream(EventType.values()).map(t -> new EventRule(t.wireName(), null)).toList();
    }

    @Override
    public String defaultEventName(Outgoing event) {
        String name = "custom".equals(event.eventType()) && event.eventName() != null
                ? event.eventName() : event.eventType();
        return cut(name, MAX_NAME);
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
        URI endpoint = URI.create(MetaDestination.stripTrailingSlash(config.require("url")) + "/api/send");
        List<CompletableFuture<Outcome>> pending = new ArrayList<>(batch.size());
        for (Outgoing e : batch) {
            HttpRequest request = PlatformHttp.postJson(endpoint, PlatformHttp.write(UmamiPayload.of(config, e)))
                    .header("User-Agent", e.userAgent() != null && !e.userAgent().isBlank()
                            ? e.userAgent() : BROWSER_USER_AGENT)
                    .build();
            pending.add(PlatformHttp.exchange(http, request, "Umami", config, r -> classify(r, config)));
        }
        return PlatformHttp.awaitAll(pending);
    }

    private Outcome classify(HttpResponse<String> response, DestinationConfig config) {
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (PlatformHttp.success(status)) {
            return body.has("beep")
                    ? new Outcome.Failed("Umami took the request for a bot's and dropped it (answered beep/boop)")
                    : Outcome.DELIVERED;
        }
        String message = PlatformHttp.scrub("Umami answered " + status + ": " + message(body, response.body()),
                config);
        return PlatformHttp.transientStatus(status)
                ? new Outcome.Retry(PlatformHttp.retryAfter(response, clock), message)
                : new Outcome.Failed(message);
    }

    /** Umami's error shapes across versions: {@code {"error": {"message"}}}, {@code {"message"}}, or plain text. */
    private static String message(JsonNode body, String raw) {
        if (body.path("error").path("message").isTextual()) {
            return body.path("error").path("message").asText();
        }
        if (body.path("message").isTextual()) {
            return body.path("message").asText();
        }
        if (body.path("error").isTextual()) {
            return body.path("error").asText();
        }
        return PlatformHttp.snippet(raw);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = PlatformHttp.JSON.readTree(body == null ? "" : body);
            return node == null ? PlatformHttp.JSON.missingNode() : node;
        } catch (IOException notJson) {
            return PlatformHttp.JSON.missingNode();
        }
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static final String SCREEN_VIEW = EventType.SCREEN_VIEW.wireName();

    /** Builds one {@code /api/send} body; see the class comment for each field's rule. */
    static final class UmamiPayload {
        private UmamiPayload() {
        }

        static ObjectNode of(DestinationConfig config, Outgoing e) {
            ObjectNode root = PlatformHttp.JSON.createObjectNode();
            root.put("type", "event");
            ObjectNode p = root.putObject("payload");
            p.put("website", config.require("website_id"));
            URI page = e.fromApp() ? null : pageUrl(e.url());
            if (page != null) {
                p.put("hostname", cut(page.getHost(), MAX_HOSTNAME));
                String path = (page.getRawPath() == null || page.getRawPath().isEmpty() ? "/" : page.getRawPath())
                        + (page.getRawQuery() == null ? "" : "?" + page.getRawQuery());
                p.put("url", cut(path, MAX_URL));
            } else {
                p.put("hostname", "app");
                p.put("url", "/app/" + e.eventType());
            }
            // A view its rule does not rename is a pageview, which Umami tells from an event by having no name.
            boolean pageview = SCREEN_VIEW.equals(e.eventType()) && SCREEN_VIEW.equals(e.platformEventName());
            if (!pageview) {
                p.put("name", cut(e.platformEventName(), MAX_NAME));
            }
            p.set("data", data(e));
            if (e.locale() != null) {
                p.put("language", cut(e.locale(), MAX_LANGUAGE));
            }
            if (e.referrer() != null) {
                p.put("referrer", cut(e.referrer(), MAX_URL));
            }
            if (e.title() != null) {
                p.put("title", cut(e.title(), MAX_URL));
            }
            if (e.sessionId() != null) {
                p.put("id", cut(e.sessionId(), MAX_NAME));
            }
            p.put("timestamp", e.occurredAt().getEpochSecond());
            return root;
        }

        private static URI pageUrl(String url) {
            if (url == null) {
                return null;
            }
            try {
                URI u = new URI(url);
                return u.getHost() != null
                        && ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
                        ? u : null;
            } catch (URISyntaxException e) {
                return null;
            }
        }

        private static ObjectNode data(Outgoing e) {
            ObjectNode data = PlatformHttp.JSON.createObjectNode();
            if (e.value() != null) {
                data.put("revenue", e.value());
                if (e.currency() != null) {
                    data.put("currency", e.currency());
                }
            }
            JsonNode props;
            try {
                props = PlatformHttp.JSON.readTree(e.propertiesJson());
            } catch (IOException notJson) {
                props = null;
            }
            if (props != null && props.isObject()) {
                props.fields().forEachRemaining(f -> {
                    if (data.size() < MAX_DATA_PROPERTIES && !data.has(f.getKey())) {
                        JsonNode v = f.getValue();
                        data.set(f.getKey(), v.isTextual()
                                ? PlatformHttp.JSON.getNodeFactory().textNode(cut(v.asText(), MAX_DATA_STRING)) : v);
                    }
                });
            }
            return data;
        }
    }
}
