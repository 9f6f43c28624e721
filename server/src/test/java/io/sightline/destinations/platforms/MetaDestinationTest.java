package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.EventRule;
import io.sightline.destinations.Outcome;
import io.sightline.destinations.Outgoing;
import io.sightline.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class MetaDestinationTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final DestinationConfig CONFIG = new DestinationConfig(7,
            Map.of("pixel_id", "1234567890"), Map.of("access_token", FakeMeta.TOKEN), false);

    private final MutableClock clock = new MutableClock(NOW);
    private final HttpClient http = HttpClient.newHttpClient();
    private RecordingReceiver meta;
    private MetaDestination destination;

    @BeforeEach
    void start() throws IOException {
        meta = new RecordingReceiver(FakeMeta::accept);
        destination = new MetaDestination(http, meta.baseUrl(), clock);
    }

    @AfterEach
    void stop() {
        meta.close();
    }

    private OutgoingBuilder conversion() {
        return new OutgoingBuilder(NOW.minus(Duration.ofMinutes(5)));
    }

    @Test
    void sends_purchase_with_hashed_email_and_event_id() throws Exception {
        Outgoing event = conversion().build();

        List<Outcome> outcomes = destination.send(CONFIG, List.of(event));

        assertThat(outcomes).containsExactly(Outcome.DELIVERED);
        RecordingReceiver.Request request = meta.requests().get(0);
        assertThat(request.path()).isEqualTo("/" + MetaDestination.DEFAULT_API_VERSION + "/1234567890/events");
        assertThat(request.query()).as("the token travels in the body, not the URL").isNull();
        JsonNode sent = request.json().path("data").get(0);
        assertThat(sent.path("event_name").asText()).isEqualTo("Purchase");
        assertThat(sent.path("event_id").asText()).isEqualTo(event.eventId().toString());
        assertThat(sent.path("event_time").asLong()).isEqualTo(event.occurredAt().getEpochSecond());
        assertThat(sent.path("action_source").asText()).isEqualTo("website");
        assertThat(sent.path("event_source_url").asText()).isEqualTo("https://shop.example.com/checkout/done");
        assertThat(sent.path("user_data").path("em").get(0).asText()).isEqualTo(OutgoingBuilder.EMAIL_SHA256);
        assertThat(sent.path("custom_data").path("value").asDouble()).isEqualTo(49.9);
        assertThat(sent.path("custom_data").path("currency").asText()).isEqualTo("EUR");
    }

    @Test
    void names_a_conversion_purchase_with_a_value_and_lead_without() {
        assertThat(destination.defaultRules()).containsExactly(new EventRule("conversion", null));
        assertThat(destination.defaultEventName(conversion().build())).isEqualTo("Purchase");
        OutgoingBuilder noValue = conversion();
        noValue.value = null;
        assertThat(destination.defaultEventName(noValue.build())).isEqualTo("Lead");
        OutgoingBuilder custom = conversion();
        custom.eventType = "custom";
        custom.eventName = "ViewedModel";
        assertThat(destination.defaultEventName(custom.build())).isEqualTo("ViewedModel");
    }

    @Test
    void sends_an_app_event_with_the_app_data_meta_requires() throws Exception {
        OutgoingBuilder app = conversion().app("iOS", "17.4.1");
        app.platformEventName = "Lead";
        app.value = null;

        assertThat(destination.send(CONFIG, List.of(app.build()))).containsExactly(Outcome.DELIVERED);

        JsonNode sent = meta.requests().get(0).json().path("data").get(0);
        assertThat(sent.path("action_source").asText()).isEqualTo("app");
        assertThat(sent.has("event_source_url")).isFalse();
        JsonNode appData = sent.path("app_data");
        assertThat(appData.path("advertiser_tracking_enabled").asInt()).isEqualTo(1);
        assertThat(appData.path("application_tracking_enabled").asInt()).isEqualTo(1);
        JsonNode extinfo = appData.path("extinfo");
        assertThat(extinfo.size()).isEqualTo(16);
        assertThat(extinfo.get(0).asText()).isEqualTo("i2");
        assertThat(extinfo.get(2).asText()).isEqualTo("2.3.1");
        assertThat(extinfo.get(4).asText()).isEqualTo("17.4.1");
        assertThat(extinfo.get(5).asText()).isEqualTo("iPhone15,2");
        assertThat(extinfo.get(6).asText()).isEqualTo("en_US");
    }

    @Test
    void an_app_on_a_system_meta_app_events_do_not_know_goes_out_as_other() throws Exception {
        OutgoingBuilder viewer = conversion().app("Windows", "11");

        assertThat(destination.send(CONFIG, List.of(viewer.build()))).containsExactly(Outcome.DELIVERED);

        JsonNode sent = meta.requests().get(0).json().path("data").get(0);
        assertThat(sent.path("action_source").asText()).isEqualTo("other");
        assertThat(sent.has("app_data")).isFalse();
    }

    @Test
    void sends_click_ids_and_client_data_only_when_the_outbox_gave_them() throws Exception {
        OutgoingBuilder without = conversion();
        without.clickIds.put("fbclid", "IwAR2xyz");
        without.clickIds.put("fbp", "fb.1.1558571054389.1098115397");
        OutgoingBuilder with = conversion();
        with.clientIp = "203.0.113.9";
        with.userAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)";
        with.clickIds.put("fbc", "fb.1.1554763741205.AbCdEf");

        destination.send(CONFIG, List.of(without.build(), with.build()));

        JsonNode data = meta.requests().get(0).json().path("data");
        JsonNode first = data.get(0).path("user_data");
        assertThat(first.has("client_ip_address")).isFalse();
        assertThat(first.has("client_user_agent")).isFalse();
        assertThat(first.path("fbc").asText())
                .isEqualTo("fb.1." + without.occurredAt.toEpochMilli() + ".IwAR2xyz");
        assertThat(first.path("fbp").asText()).isEqualTo("fb.1.1558571054389.1098115397");
        JsonNode second = data.get(1).path("user_data");
        assertThat(second.path("client_ip_address").asText()).isEqualTo("203.0.113.9");
        assertThat(second.path("client_user_agent").asText()).startsWith("Mozilla/5.0 (iPhone");
        assertThat(second.path("fbc").asText()).isEqualTo("fb.1.1554763741205.AbCdEf");
    }

    @Test
    void never_sends_a_trait_that_is_not_a_sha256_hex() throws Exception {
        OutgoingBuilder raw = conversion();
        raw.emailSha256 = "Someone@Example.com";
        raw.phoneSha256 = OutgoingBuilder.PHONE_SHA256.toUpperCase();

        assertThat(destination.send(CONFIG, List.of(raw.build()))).containsExactly(Outcome.DELIVERED);

        JsonNode user = meta.requests().get(0).json().path("data").get(0).path("user_data");
        assertThat(user.has("em")).isFalse();
        assertThat(user.has("ph")).isFalse();
        assertThat(meta.requests().get(0).body()).doesNotContain("Someone@Example.com");
    }

    @Test
    void skips_events_older_than_seven_days_without_sending_them() throws Exception {
        Outgoing old = new OutgoingBuilder(NOW.minus(Duration.ofDays(7)).minusSeconds(1)).build();
        Outgoing fresh = conversion().build();

        List<Outcome> outcomes = destination.send(CONFIG, List.of(old, fresh));

        assertThat(outcomes).containsExactly(new Outcome.Skipped("older than Meta's 7-day window"), Outcome.DELIVERED);
        assertThat(meta.requests()).hasSize(1);
        assertThat(meta.requests().get(0).json().path("data").size()).isEqualTo(1);
        assertThat(destination.window()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void sends_nothing_when_every_event_is_too_old() throws Exception {
        Outgoing old = new OutgoingBuilder(NOW.minus(Duration.ofDays(9))).build();

        assertThat(destination.send(CONFIG, List.of(old))).allMatch(o -> o instanceof Outcome.Skipped);
        assertThat(meta.requests()).isEmpty();
    }

    @Test
    void retries_a_rate_limit_after_the_wait_meta_asks_for() throws Exception {
        meta.answerWith(r -> {
            RecordingReceiver.Reply limited = FakeMeta.error(400, "User request limit reached", 17, 2446079, false,
                    null);
            return new RecordingReceiver.Reply(400, Map.of("Content-Type", "application/json", "Retry-After", "120"),
                    limited.body());
        });

        List<Outcome> outcomes = destination.send(CONFIG, List.of(conversion().build(), conversion().build()));

        assertThat(outcomes).hasSize(2).allSatisfy(o -> {
            assertThat(o).isInstanceOf(Outcome.Retry.class);
            assertThat(((Outcome.Retry) o).retryAfter()).isEqualTo(Duration.ofSeconds(120));
            assertThat(((Outcome.Retry) o).message()).contains("User request limit reached", "code 17");
        });
        assertThat(meta.requests()).as("a temporary refusal is not split").hasSize(1);
    }

    @Test
    void retries_server_errors_429_and_errors_meta_marks_transient() throws Exception {
        for (RecordingReceiver.Reply reply : List.of(
                RecordingReceiver.Reply.json(503, "<html>Service Unavailable</html>"),
                FakeMeta.error(429, "Too many calls", 80004, null, false, null),
                FakeMeta.error(400, "An unexpected error has occurred", 2, null, false, null),
                FakeMeta.error(400, "Temporary issue", 100, 33, true, null))) {
            meta.answerWith(r -> reply);
            Outcome outcome = destination.send(CONFIG, List.of(conversion().build())).get(0);
            assertThat(outcome).as(reply.body()).isInstanceOf(Outcome.Retry.class);
        }
    }

    @Test
    void fails_an_invalid_event_with_metas_own_message_and_trace_id() throws Exception {
        meta.answerWith(r -> FakeMeta.error(400, "Invalid parameter", 100, 2804003, false,
                "The timestamp for this event is too far in the past."));

        Outcome outcome = destination.send(CONFIG, List.of(conversion().build())).get(0);

        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) outcome).message()).contains("Invalid parameter",
                "too far in the past", "code 100", "subcode 2804003", "fbtrace_id Az9Trace");
    }

    @Test
    void one_refused_event_does_not_dead_letter_the_rest_of_its_batch() throws Exception {
        meta.answerWith(r -> {
            for (JsonNode e : r.json().path("data")) {
                if (e.path("event_name").asText().equals("Refused")) {
                    return FakeMeta.error(400, "Invalid parameter", 100, 2804019, false, "Invalid event name");
                }
            }
            return FakeMeta.accept(r);
        });
        List<Outgoing> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            OutgoingBuilder b = conversion();
            b.platformEventName = i == 3 ? "Refused" : "Purchase";
            batch.add(b.build());
        }

        List<Outcome> outcomes = destination.send(CONFIG, batch);

        assertThat(outcomes.get(3)).isInstanceOf(Outcome.Failed.class);
        assertThat(List.of(outcomes.get(0), outcomes.get(1), outcomes.get(2), outcomes.get(4)))
                .containsOnly(Outcome.DELIVERED);
        int delivered = meta.requests().stream().filter(r -> FakeMeta.problems(r).isEmpty()
                && r.body().contains("\"Purchase\"") && !r.body().contains("Refused"))
                .mapToInt(r -> r.json().path("data").size()).sum();
        assertThat(delivered).as("each good event accepted once").isEqualTo(4);
    }

    @Test
    void an_expired_token_fails_the_whole_batch_in_one_request() throws Exception {
        meta.answerWith(r -> FakeMeta.error(400, "Error validating access token: Session has expired", 190, 463,
                false, null));

        List<Outcome> outcomes = destination.send(CONFIG, List.of(conversion().build(), conversion().build(),
                conversion().build()));

        assertThat(outcomes).allMatch(o -> o instanceof Outcome.Failed);
        assertThat(meta.requests()).hasSize(1);
    }

    @Test
    void accepts_a_full_batch_of_one_thousand_events() throws Exception {
        List<Outgoing> batch = IntStream.range(0, destination.maxBatch()).mapToObj(i -> conversion().build()).toList();

        assertThat(destination.send(CONFIG, batch)).hasSize(1000).containsOnly(Outcome.DELIVERED);
        assertThat(meta.requests()).hasSize(1);
    }

    @Test
    void sends_the_test_event_code_and_the_configured_api_version() throws Exception {
        DestinationConfig testing = new DestinationConfig(7, Map.of("pixel_id", "42", "test_event_code", "TEST123",
                "api_version", "v25.0"), Map.of("access_token", FakeMeta.TOKEN), false);

        destination.send(testing, List.of(conversion().build()));

        RecordingReceiver.Request request = meta.requests().get(0);
        assertThat(request.path()).isEqualTo("/v25.0/42/events");
        assertThat(request.json().path("test_event_code").asText()).isEqualTo("TEST123");
    }

    @Test
    void no_outcome_message_ever_carries_the_access_token() throws Exception {
        meta.answerWith(r -> FakeMeta.error(400, "Malformed access token " + FakeMeta.TOKEN, 190, null, false,
                null));
        Outcome echoed = destination.send(CONFIG, List.of(conversion().build())).get(0);

        MetaDestination unreachable = new MetaDestination(http, URI.create("http://127.0.0.1:" + freePort()), clock);
        Outcome down = unreachable.send(CONFIG, List.of(conversion().build())).get(0);

        assertThat(echoed).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) echoed).message()).contains("[redacted]").doesNotContain(FakeMeta.TOKEN);
        assertThat(down).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) down).message()).contains("Meta unreachable").doesNotContain(FakeMeta.TOKEN);
        assertThat(CONFIG.toString()).doesNotContain(FakeMeta.TOKEN);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
