package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.Outcome;
import io.sightline.destinations.Outgoing;
import io.sightline.testing.MutableClock;
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

class LinkedInDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final DestinationConfig CONFIG = new DestinationConfig(7,
            Map.of("conversion_rule_id", "104012", "linkedin_version", "202609"),
            Map.of("access_token", "AQX-linkedin-secret-token"), false);

    private PlatformReceiver linkedin;
    private LinkedInDestination destination;

    @BeforeEach
    void start() throws IOException {
        linkedin = new PlatformReceiver();
        destination = new LinkedInDestination(HttpClient.newHttpClient(), linkedin.url(), new MutableClock(NOW));
    }

    @AfterEach
    void stop() {
        linkedin.close();
    }

    /** What LinkedIn checks of a BATCH_CREATE: headers, then each element; answers a status per element. */
    private void likeLinkedIn() {
        linkedin.on("/rest/conversionEvents", r -> {
            if (!"Bearer AQX-linkedin-secret-token".equals(r.header("Authorization"))) {
                return PlatformReceiver.Answer.json(401, "{\"status\":401,\"serviceErrorCode\":65600,\"code\":\"INVALID_ACCESS_TOKEN\",\"message\":\"Invalid access token\"}");
            }
            if (r.header("LinkedIn-Version") == null || !r.header("LinkedIn-Version").matches("20\\d{4}")
                    || !"2.0.0".equals(r.header("X-Restli-Protocol-Version")) || !"BATCH_CREATE".equals(r.header("X-RestLi-Method"))) {
                return PlatformReceiver.Answer.json(400, "{\"status\":400,\"message\":\"missing or bad version/method header\"}");
            }
            StringBuilder out = new StringBuilder("{\"elements\":[");
            JsonNode elements = read(r.body()).path("elements");
            for (int i = 0; i < elements.size(); i++) {
                JsonNode e = elements.get(i);
                boolean ok = e.path("conversion").asText().matches("urn:lla:llaPartnerConversion:\\d+")
                        && e.path("conversionHappenedAt").isIntegralNumber() && !e.path("eventId").asText().isEmpty()
                        && e.path("user").path("userIds").size() > 0;
                for (JsonNode id : e.path("user").path("userIds")) {
                    ok &= !"SHA256_EMAIL".equals(id.path("idType").asText()) || id.path("idValue").asText().matches("[0-9a-f]{64}");
                }
                out.append(i == 0 ? "" : ",").append(ok ? "{\"status\":201}"
                        : "{\"status\":400,\"error\":{\"status\":400,\"message\":\"element " + i + " is invalid\"}}");
            }
            return PlatformReceiver.Answer.json(200, out.append("]}").toString());
        });
    }

    @Test
    void sends_a_batch_create_with_version_headers_hashed_email_li_fat_id_and_event_id() throws Exception {
        likeLinkedIn();
        Outgoing event = Outgoings.conversion("default", NOW.minusSeconds(60), Map.of("li_fat_id", "df5gf5-gh6t7"), Outgoings.EMAIL_SHA, null);

        assertThat(destination.send(CONFIG, List.of(event))).containsExactly(Outcome.DELIVERED);

        PlatformReceiver.Received r = linkedin.received().get(0);
        assertThat(r.header("LinkedIn-Version")).isEqualTo("202609");
        JsonNode e = read(r.body()).path("elements").get(0);
        assertThat(e.path("conversion").asText()).isEqualTo("urn:lla:llaPartnerConversion:104012");
        assertThat(e.path("conversionHappenedAt").asLong()).isEqualTo(NOW.minusSeconds(60).toEpochMilli());
        assertThat(e.path("conversionValue").path("amount").asText()).isEqualTo("49.9");
        assertThat(e.path("conversionValue").path("currencyCode").asText()).isEqualTo("EUR");
        assertThat(e.path("eventId").asText()).isEqualTo(event.eventId().toString());
        assertThat(e.path("user").path("userIds").toString()).contains("SHA256_EMAIL", Outgoings.EMAIL_SHA,
                "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", "df5gf5-gh6t7");
    }

    @Test
    void uses_the_default_version_when_none_is_configured() throws Exception {
        likeLinkedIn();
        DestinationConfig config = new DestinationConfig(7, Map.of("conversion_rule_id", "1"), CONFIG.secrets(), false);
        destination.send(config, List.of(Outgoings.conversion("default", NOW, Map.of(), Outgoings.EMAIL_SHA, null)));
        assertThat(linkedin.received().get(0).header("LinkedIn-Version")).isEqualTo(LinkedInDestination.DEFAULT_VERSION);
    }

    @Test
    void takes_each_elements_status_from_the_batch_answer() throws Exception {
        linkedin.on("/rest/conversionEvents", r -> PlatformReceiver.Answer.json(200,
                "{\"elements\":[{\"status\":201},{\"status\":400,\"error\":{\"status\":400,\"message\":\"Conversion rule is not enabled\"}}]}"));
        List<Outcome> outcomes = destination.send(CONFIG, List.of(
                Outgoings.conversion("1", NOW, Map.of(), Outgoings.EMAIL_SHA, null),
                Outgoings.conversion("2", NOW, Map.of(), Outgoings.EMAIL_SHA, null)));

        assertThat(outcomes).containsExactly(Outcome.DELIVERED, new Outcome.Failed("HTTP 400: Conversion rule is not enabled"));
    }

    @Test
    void a_422_fails_the_elements_it_names_by_index_and_delivers_the_others() throws Exception {
        linkedin.on("/rest/conversionEvents", r -> PlatformReceiver.Answer.json(422,
                "{\"errors\":{\"1\":{\"status\":422,\"message\":\"conversionHappenedAt is outside the allowed window\"}}}"));
        List<Outcome> outcomes = destination.send(CONFIG, List.of(
                Outgoings.conversion("1", NOW, Map.of(), Outgoings.EMAIL_SHA, null),
                Outgoings.conversion("1", NOW.minus(Duration.ofDays(100)), Map.of(), Outgoings.EMAIL_SHA, null),
                Outgoings.conversion("1", NOW, Map.of("li_fat_id", "x"), null, null)));

        // the middle event is skipped before sending, so LinkedIn's index 1 is the third event of the batch
        assertThat(outcomes.get(0)).isEqualTo(Outcome.DELIVERED);
        assertThat(((Outcome.Skipped) outcomes.get(1)).reason()).contains("90 days");
        assertThat(outcomes.get(2)).isEqualTo(new Outcome.Failed("HTTP 422: conversionHappenedAt is outside the allowed window"));
    }

    @Test
    void skips_an_event_without_any_user_id() throws Exception {
        likeLinkedIn();
        List<Outcome> outcomes = destination.send(CONFIG, List.of(Outgoings.conversion("1", NOW, Map.of("gclid", "g"), null, Outgoings.PHONE_SHA)));
        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Skipped.class);
        assertThat(linkedin.received()).isEmpty();
    }

    @Test
    void retries_429_and_5xx_and_fails_auth_errors() throws Exception {
        Outgoing event = Outgoings.conversion("1", NOW, Map.of(), Outgoings.EMAIL_SHA, null);
        linkedin.on("/rest/conversionEvents", r -> new PlatformReceiver.Answer(429, "{\"status\":429,\"message\":\"Resource level throttle limit exceeded\"}", Map.of("Retry-After", "60")));
        assertThat(destination.send(CONFIG, List.of(event))).containsExactly(new Outcome.Retry(Duration.ofSeconds(60), "HTTP 429: Resource level throttle limit exceeded"));

        linkedin.on("/rest/conversionEvents", r -> PlatformReceiver.Answer.json(502, ""));
        assertThat(destination.send(CONFIG, List.of(event)).get(0)).isInstanceOf(Outcome.Retry.class);

        DestinationConfig wrongToken = new DestinationConfig(7, CONFIG.values(), Map.of("access_token", "expired-token-xyz"), false);
        likeLinkedIn();
        List<Outcome> outcomes = destination.send(wrongToken, List.of(event));
        assertThat(outcomes).containsExactly(new Outcome.Failed("HTTP 401: Invalid access token"));
        assertThat(outcomes.toString()).doesNotContain("expired-token-xyz");
    }

    @Test
    void never_puts_the_access_token_in_an_outcome() throws Exception {
        linkedin.on("/rest/conversionEvents", r -> PlatformReceiver.Answer.json(403,
                "{\"status\":403,\"message\":\"Not enough permissions for token AQX-linkedin-secret-token\"}"));
        List<Outcome> outcomes = destination.send(CONFIG, List.of(Outgoings.conversion("1", NOW, Map.of(), Outgoings.EMAIL_SHA, null)));
        assertThat(outcomes.toString()).doesNotContain("AQX-linkedin-secret-token").contains("[redacted]");
        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void declares_the_batch_limit_and_the_90_day_window() {
        assertThat(destination.maxBatch()).isEqualTo(5000);
        assertThat(destination.window()).isEqualTo(Duration.ofDays(90));
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
