package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.DestinationError;
import io.sightline.destinations.EventRule;
import io.sightline.destinations.Outcome;
import io.sightline.destinations.Outgoing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UmamiDestinationTest {
    private static final Instant AT = Instant.parse("2026-03-10T12:00:00Z");
    private static final String PHONE_UA =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";

    private final HttpClient http = HttpClient.newHttpClient();
    private final UmamiDestination destination = new UmamiDestination(http);
    private RecordingReceiver umami;
    private DestinationConfig config;

    @BeforeEach
    void start() throws IOException {
        umami = new RecordingReceiver(FakeUmami::answer);
        config = config(umami.baseUrl() + "/", FakeUmami.WEBSITE_ID);
    }

    @AfterEach
    void stop() {
        umami.close();
    }

    private static DestinationConfig config(String url, String websiteId) {
        return new DestinationConfig(9, Map.of("url", url, "website_id", websiteId), Map.of(), false);
    }

    private static OutgoingBuilder event() {
        OutgoingBuilder b = new OutgoingBuilder(AT);
        b.platformEventName = "conversion";
        b.userAgent = PHONE_UA;
        b.url = "https://shop.example.com/checkout/done?plan=pro";
        b.referrer = "https://www.google.com/";
        b.propertiesJson = "{\"plan\": \"pro\", \"seats\": 3}";
        return b;
    }

    @Test
    void sends_a_named_event_with_its_properties_as_data() throws Exception {
        assertThat(destination.send(config, List.of(event().build()))).containsExactly(Outcome.DELIVERED);

        RecordingReceiver.Request request = umami.requests().get(0);
        assertThat(request.path()).isEqualTo("/api/send");
        assertThat(FakeUmami.problems(request)).isEmpty();
        assertThat(request.header("User-Agent")).isEqualTo(PHONE_UA);
        JsonNode body = request.json();
        assertThat(body.path("type").asText()).isEqualTo("event");
        JsonNode p = body.path("payload");
        assertThat(p.path("website").asText()).isEqualTo(FakeUmami.WEBSITE_ID);
        assertThat(p.path("hostname").asText()).isEqualTo("shop.example.com");
        assertThat(p.path("url").asText()).isEqualTo("/checkout/done?plan=pro");
        assertThat(p.path("name").asText()).isEqualTo("conversion");
        assertThat(p.path("language").asText()).isEqualTo("en-US");
        assertThat(p.path("referrer").asText()).isEqualTo("https://www.google.com/");
        assertThat(p.path("title").asText()).isEqualTo("Thank you");
        assertThat(p.path("timestamp").asLong()).isEqualTo(AT.getEpochSecond());
        assertThat(p.path("data").path("plan").asText()).isEqualTo("pro");
        assertThat(p.path("data").path("seats").asInt()).isEqualTo(3);
        assertThat(p.path("data").path("revenue").asDouble()).isEqualTo(49.9);
        assertThat(p.path("data").path("currency").asText()).isEqualTo("EUR");
    }

    @Test
    void sends_a_browser_user_agent_when_the_event_may_not_pass_its_own() throws Exception {
        OutgoingBuilder b = event();
        b.userAgent = null;

        assertThat(destination.send(config, List.of(b.build()))).containsExactly(Outcome.DELIVERED);
        assertThat(umami.requests().get(0).header("User-Agent")).isEqualTo(UmamiDestination.BROWSER_USER_AGENT);
    }

    @Test
    void a_bot_answer_is_not_taken_for_a_delivery() throws Exception {
        OutgoingBuilder b = event();
        b.userAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

        Outcome outcome = destination.send(config, List.of(b.build())).get(0);

        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) outcome).message()).contains("bot");
    }

    @Test
    void sends_an_app_event_under_a_stable_path() throws Exception {
        OutgoingBuilder b = event().app("Android", "14");
        b.eventType = "placement";
        b.platformEventName = "placement";

        assertThat(destination.send(config, List.of(b.build()))).containsExactly(Outcome.DELIVERED);

        JsonNode p = umami.requests().get(0).json().path("payload");
        assertThat(p.path("hostname").asText()).isEqualTo("app");
        assertThat(p.path("url").asText()).isEqualTo("/app/placement");
        assertThat(p.has("title")).isFalse();
    }

    @Test
    void sends_a_view_as_a_pageview_without_a_name() throws Exception {
        OutgoingBuilder b = event();
        b.eventType = "screen_view";
        b.platformEventName = "screen_view";

        assertThat(destination.send(config, List.of(b.build()))).containsExactly(Outcome.DELIVERED);

        JsonNode p = umami.requests().get(0).json().path("payload");
        assertThat(FakeUmami.problems(umami.requests().get(0))).isEmpty();
        assertThat(p.has("name")).isFalse();
        assertThat(p.path("url").asText()).isEqualTo("/checkout/done?plan=pro");
        assertThat(p.path("title").asText()).isEqualTo("Thank you");
    }

    @Test
    void sends_each_event_in_its_own_request_and_answers_in_batch_order() throws Exception {
        OutgoingBuilder refused = event();
        refused.platformEventName = "-formula";
        List<Outgoing> batch = List.of(event().build(), refused.build(), event().build());

        List<Outcome> outcomes = destination.send(config, batch);

        assertThat(outcomes.get(0)).isEqualTo(Outcome.DELIVERED);
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Failed.class);
        assertThat(outcomes.get(2)).isEqualTo(Outcome.DELIVERED);
        assertThat(umami.requests()).hasSize(3).allSatisfy(r -> assertThat(r.json().path("payload").isObject()));
    }

    @Test
    void an_unknown_website_fails_with_umamis_message() throws Exception {
        DestinationConfig other = config(umami.baseUrl().toString(), "00000000-0000-4000-8000-000000000000");

        Outcome outcome = destination.send(other, List.of(event().build())).get(0);

        assertThat(outcome).isEqualTo(new Outcome.Failed("Umami answered 400: Website not found."));
    }

    @Test
    void retries_429_after_the_wait_umami_asks_for_server_errors_and_an_unreachable_server() throws Exception {
        umami.answerWith(r -> new RecordingReceiver.Reply(429, Map.of("Retry-After", "15"), "Too Many Requests"));
        Outcome limited = destination.send(config, List.of(event().build())).get(0);
        umami.answerWith(r -> new RecordingReceiver.Reply(502, Map.of(), "<html>Bad Gateway</html>"));
        Outcome gateway = destination.send(config, List.of(event().build())).get(0);
        DestinationConfig down = config("http://127.0.0.1:" + MetaDestinationTest.freePort(), FakeUmami.WEBSITE_ID);
        Outcome unreachable = destination.send(down, List.of(event().build())).get(0);

        assertThat(limited).isEqualTo(new Outcome.Retry(Duration.ofSeconds(15), "Umami answered 429: Too Many Requests"));
        assertThat(gateway).isInstanceOf(Outcome.Retry.class);
        assertThat(unreachable).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) unreachable).message()).startsWith("Umami unreachable");
    }

    @Test
    void keeps_every_value_within_umamis_limits() throws Exception {
        OutgoingBuilder b = event();
        b.title = "t".repeat(800);
        b.platformEventName = "n".repeat(80);
        b.propertiesJson = "{\"note\": \"" + "x".repeat(900) + "\"}";

        assertThat(destination.send(config, List.of(b.build()))).containsExactly(Outcome.DELIVERED);

        JsonNode p = umami.requests().get(0).json().path("payload");
        assertThat(p.path("title").asText()).hasSize(500);
        assertThat(p.path("name").asText()).hasSize(50);
        assertThat(p.path("data").path("note").asText()).hasSize(500);
    }

    @Test
    void accepts_only_an_http_server_url_without_credentials() {
        destination.check(config("https://analytics.example.com", FakeUmami.WEBSITE_ID));
        destination.check(config("http://umami.internal:3000/umami", FakeUmami.WEBSITE_ID));
        for (String bad : List.of("ftp://umami.example.com", "https://admin:pw@umami.example.com",
                "https://umami.example.com/?x=1", "https:///nohost", "not a url")) {
            assertThatThrownBy(() -> destination.check(config(bad, FakeUmami.WEBSITE_ID)))
                    .as(bad).isInstanceOf(DestinationError.class);
        }
    }

    @Test
    void maps_every_event_type_by_default_under_its_own_name() {
        assertThat(destination.defaultRules()).extracting(EventRule::match)
                .contains("conversion", "placement", "qr_scan", "custom");
        assertThat(destination.defaultRules()).allMatch(r -> r.name() == null);
        OutgoingBuilder custom = event();
        custom.eventType = "custom";
        custom.eventName = "model_rotated";
        assertThat(destination.defaultEventName(custom.build())).isEqualTo("model_rotated");
        assertThat(destination.defaultEventName(event().build())).isEqualTo("conversion");
    }
}
