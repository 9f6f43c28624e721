package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.DestinationError;
import io.sightline.destinations.EventRule;
import io.sightline.destinations.Outcome;
import io.sightline.destinations.Outgoing;
import io.sightline.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ga4DestinationTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final DestinationConfig WEB = new DestinationConfig(3, Map.of("measurement_id", "G-ABC123XYZ"),
            Map.of("api_secret", FakeGa4.SECRET), false);
    private static final DestinationConfig APP = new DestinationConfig(4,
            Map.of("firebase_app_id", "1:1234567890:android:321abc456def7890"), Map.of("api_secret", FakeGa4.SECRET),
            false);

    private final MutableClock clock = new MutableClock(NOW);
    private final HttpClient http = HttpClient.newHttpClient();
    private RecordingReceiver ga4;
    private Ga4Destination destination;

    @BeforeEach
    void start() throws IOException {
        ga4 = new RecordingReceiver(FakeGa4::answer);
        destination = new Ga4Destination(http, ga4.baseUrl(), clock);
    }

    @AfterEach
    void stop() {
        ga4.close();
    }

    private OutgoingBuilder purchase() {
        OutgoingBuilder b = new OutgoingBuilder(NOW.minus(Duration.ofMinutes(10)));
        b.platformEventName = "purchase";
        return b;
    }

    @Test
    void sends_a_purchase_with_value_currency_and_the_event_id_as_transaction_id() throws Exception {
        OutgoingBuilder b = purchase();
        b.userId = "user-42";
        b.phoneSha256 = OutgoingBuilder.PHONE_SHA256;
        b.propertiesJson = "{\"client_id\": \"1234567.7654321\", \"plan\": \"pro\", \"seats\": 3}";
        Outgoing event = b.build();

        assertThat(destination.send(WEB, List.of(event))).containsExactly(Outcome.DELIVERED);

        RecordingReceiver.Request request = ga4.requests().get(0);
        assertThat(FakeGa4.problems(request)).isEmpty();
        assertThat(request.path()).isEqualTo("/mp/collect");
        assertThat(request.queryParam("measurement_id")).isEqualTo("G-ABC123XYZ");
        JsonNode body = request.json();
        assertThat(body.path("client_id").asText()).isEqualTo("1234567.7654321");
        assertThat(body.path("user_id").asText()).isEqualTo("user-42");
        assertThat(body.path("timestamp_micros").asLong()).isEqualTo(event.occurredAt().toEpochMilli() * 1000);
        assertThat(body.path("user_data").path("sha256_email_address").get(0).asText())
                .isEqualTo(OutgoingBuilder.EMAIL_SHA256);
        assertThat(body.path("user_data").path("sha256_phone_number").get(0).asText())
                .isEqualTo(OutgoingBuilder.PHONE_SHA256);
        JsonNode sent = body.path("events").get(0);
        assertThat(sent.path("name").asText()).isEqualTo("purchase");
        JsonNode params = sent.path("params");
        assertThat(params.path("value").asDouble()).isEqualTo(49.9);
        assertThat(params.path("currency").asText()).isEqualTo("EUR");
        assertThat(params.path("transaction_id").asText()).isEqualTo(event.eventId().toString());
        assertThat(params.path("plan").asText()).isEqualTo("pro");
        assertThat(params.path("seats").asInt()).isEqualTo(3);
        assertThat(params.has("client_id")).isFalse();
    }

    @Test
    void names_a_conversion_purchase_or_generate_lead_and_makes_other_names_valid() {
        assertThat(destination.defaultRules()).containsExactly(new EventRule("conversion", null));
        assertThat(destination.defaultEventName(purchase().build())).isEqualTo("purchase");
        OutgoingBuilder lead = purchase();
        lead.value = null;
        assertThat(destination.defaultEventName(lead.build())).isEqualTo("generate_lead");
        OutgoingBuilder custom = purchase();
        custom.eventType = "custom";
        custom.eventName = "3d model-viewed";
        assertThat(destination.defaultEventName(custom.build())).isEqualTo("e_3d_model_viewed");
        custom.eventName = "page_view";
        assertThat(destination.defaultEventName(custom.build())).isEqualTo("sl_page_view");
        custom.eventName = "a".repeat(60);
        assertThat(destination.defaultEventName(custom.build())).hasSize(40);
    }

    @Test
    void refuses_reserved_and_malformed_event_names_at_config_time() {
        for (String bad : List.of("session_start", "page_view", "ga_purchase", "google_x", "_private", "1st",
                "has space", "a".repeat(41))) {
            assertThatThrownBy(() -> destination.checkRule(new EventRule("conversion", bad)))
                    .as(bad).isInstanceOf(DestinationError.class);
        }
        destination.checkRule(new EventRule("conversion", "purchase"));
        destination.checkRule(new EventRule("custom:configured", "ar_model_placed"));
        destination.checkRule(new EventRule("conversion", null));
    }

    @Test
    void needs_exactly_one_stream_id() {
        destination.check(WEB);
        destination.check(APP);
        assertThatThrownBy(() -> destination.check(new DestinationConfig(1, Map.of(),
                Map.of("api_secret", FakeGa4.SECRET), false))).isInstanceOf(DestinationError.class);
        assertThatThrownBy(() -> destination.check(new DestinationConfig(1,
                Map.of("measurement_id", "G-ABC123", "firebase_app_id", "1:1:ios:ab"),
                Map.of("api_secret", FakeGa4.SECRET), false))).isInstanceOf(DestinationError.class);
    }

    @Test
    void sends_one_request_per_person_and_at_most_25_events_in_each() throws Exception {
        List<Outgoing> batch = IntStream.range(0, destination.maxBatch()).mapToObj(i -> {
            OutgoingBuilder b = purchase();
            b.visitorId = "visitor-" + (i % 3);
            return b.build();
        }).toList();

        assertThat(destination.send(WEB, batch)).hasSize(25).containsOnly(Outcome.DELIVERED);

        assertThat(ga4.requests()).hasSize(3).allSatisfy(r -> assertThat(FakeGa4.problems(r)).isEmpty());
        assertThat(ga4.requests().stream().mapToInt(r -> r.json().path("events").size()).sum()).isEqualTo(25);
        assertThat(ga4.requests().stream().map(r -> r.json().path("client_id").asText()))
                .containsExactlyInAnyOrder("visitor-0", "visitor-1", "visitor-2");
    }

    @Test
    void sends_an_app_stream_event_with_its_app_instance_id_and_skips_one_without() throws Exception {
        OutgoingBuilder with = purchase().app("Android", "14");
        with.propertiesJson = "{\"app_instance_id\": \"cbd7e7a5d6e94c2b8e5f1a2b3c4d5e6f\"}";
        OutgoingBuilder without = purchase().app("Android", "14");

        List<Outcome> outcomes = destination.send(APP, List.of(with.build(), without.build()));

        assertThat(outcomes).containsExactly(Outcome.DELIVERED, new Outcome.Skipped(Ga4Destination.NO_APP_INSTANCE));
        RecordingReceiver.Request request = ga4.requests().get(0);
        assertThat(FakeGa4.problems(request)).isEmpty();
        assertThat(request.queryParam("firebase_app_id")).isEqualTo("1:1234567890:android:321abc456def7890");
        assertThat(request.json().path("app_instance_id").asText()).isEqualTo("cbd7e7a5d6e94c2b8e5f1a2b3c4d5e6f");
    }

    @Test
    void leaves_out_properties_ga4_would_refuse() throws Exception {
        OutgoingBuilder b = purchase();
        StringBuilder props = new StringBuilder("{\"ga_session\": 1, \"session_id\": \"x\", \"bad key\": 2,"
                + " \"long\": \"" + "x".repeat(150) + "\", \"flag\": true, \"nested\": {\"a\": 1}");
        for (int i = 0; i < 40; i++) {
            props.append(", \"p").append(i).append("\": ").append(i);
        }
        b.propertiesJson = props.append('}').toString();

        destination.send(WEB, List.of(b.build()));

        JsonNode params = ga4.requests().get(0).json().path("events").get(0).path("params");
        assertThat(FakeGa4.problems(ga4.requests().get(0))).isEmpty();
        assertThat(params.size()).isEqualTo(25);
        assertThat(params.has("ga_session")).isFalse();
        assertThat(params.has("session_id")).isFalse();
        assertThat(params.has("bad key")).isFalse();
        assertThat(params.has("nested")).isFalse();
        assertThat(params.path("long").asText()).hasSize(100);
        assertThat(params.path("flag").asText()).isEqualTo("true");
    }

    @Test
    void skips_events_older_than_72_hours_without_sending_them() throws Exception {
        Outgoing old = new OutgoingBuilder(NOW.minus(Duration.ofHours(72)).minusSeconds(1)).build();

        List<Outcome> outcomes = destination.send(WEB, List.of(old, purchase().build()));

        assertThat(outcomes).containsExactly(new Outcome.Skipped("older than GA4's 72-hour window"),
                Outcome.DELIVERED);
        assertThat(ga4.requests()).hasSize(1);
        assertThat(ga4.requests().get(0).json().path("events").size()).isEqualTo(1);
        assertThat(destination.window()).isEqualTo(Duration.ofHours(72));
    }

    @Test
    void retries_429_and_server_errors_and_fails_other_statuses() throws Exception {
        ga4.answerWith(r -> new RecordingReceiver.Reply(429, Map.of("Retry-After", "30"), "Too Many Requests"));
        Outcome limited = destination.send(WEB, List.of(purchase().build())).get(0);
        ga4.answerWith(r -> RecordingReceiver.Reply.json(500, "{}"));
        Outcome down = destination.send(WEB, List.of(purchase().build())).get(0);
        ga4.answerWith(r -> new RecordingReceiver.Reply(404, Map.of(), "Not Found"));
        Outcome wrongPath = destination.send(WEB, List.of(purchase().build())).get(0);

        assertThat(limited).isEqualTo(new Outcome.Retry(Duration.ofSeconds(30), "GA4 answered 429: Too Many Requests"));
        assertThat(down).isInstanceOf(Outcome.Retry.class);
        assertThat(wrongPath).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) wrongPath).message()).contains("404");
    }

    @Test
    void validates_requests_against_the_debug_endpoint_only_when_asked() throws Exception {
        OutgoingBuilder good = purchase();
        OutgoingBuilder bad = purchase();
        bad.visitorId = "other";
        bad.platformEventName = "purchase";
        bad.currency = null;

        assertThat(destination.validate(WEB, List.of(good.build()))).isEmpty();
        List<String> messages = destination.validate(WEB, List.of(bad.build()));

        assertThat(messages).singleElement().asString().contains("purchase needs value, currency", "VALUE_INVALID");
        assertThat(ga4.requests()).extracting(RecordingReceiver.Request::path).containsOnly("/debug/mp/collect");
    }

    @Test
    void no_outcome_message_ever_carries_the_api_secret() throws Exception {
        ga4.answerWith(r -> new RecordingReceiver.Reply(400, Map.of(), "bad request for " + r.query()));
        Outcome echoed = destination.send(WEB, List.of(purchase().build())).get(0);
        Ga4Destination unreachable = new Ga4Destination(http,
                URI.create("http://127.0.0.1:" + MetaDestinationTest.freePort()), clock);
        Outcome down = unreachable.send(WEB, List.of(purchase().build())).get(0);

        assertThat(((Outcome.Failed) echoed).message()).contains("[redacted]").doesNotContain(FakeGa4.SECRET);
        assertThat(((Outcome.Retry) down).message()).startsWith("GA4 unreachable").doesNotContain(FakeGa4.SECRET);
    }
}
