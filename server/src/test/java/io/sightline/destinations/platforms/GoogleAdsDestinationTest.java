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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class GoogleAdsDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final DestinationConfig CONFIG = new DestinationConfig(7,
            Map.of("customer_id", "123-456-7890", "login_customer_id", "999-888-7777", "client_id", "cid.apps.example",
                    "conversion_action_id", "555"),
            Map.of("developer_token", "DEVTOKEN-secret-1", "client_secret", "CLIENT-secret-2", "refresh_token", "1//REFRESH-secret-3"),
            false);
    private static final String UPLOAD = "/v26/customers/1234567890:uploadClickConversions";

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private PlatformReceiver google;
    private GoogleAdsDestination destination;

    @BeforeEach
    void start() throws IOException {
        google = new PlatformReceiver();
        google.on("/token", this::tokenEndpoint);
        destination = new GoogleAdsDestination(HttpClient.newHttpClient(), google.url(), google.url().resolve("/token"), clock);
    }

    @AfterEach
    void stop() {
        google.close();
    }

    /** Google's token endpoint: a form with the four fields, answering a fresh token valid for an hour. */
    private PlatformReceiver.Answer tokenEndpoint(PlatformReceiver.Received r) {
        Map<String, String> form = new java.util.HashMap<>();
        OAuth1Signer.formParams(r.body()).forEach(p -> form.put(p.name(), p.value()));
        boolean valid = "POST".equals(r.method()) && r.header("Content-Type").startsWith("application/x-www-form-urlencoded")
                && "cid.apps.example".equals(form.get("client_id")) && "CLIENT-secret-2".equals(form.get("client_secret"))
                && "1//REFRESH-secret-3".equals(form.get("refresh_token")) && "refresh_token".equals(form.get("grant_type"));
        if (!valid) {
            return PlatformReceiver.Answer.json(400, "{\"error\":\"invalid_request\",\"error_description\":\"bad form\"}");
        }
        return PlatformReceiver.Answer.json(200, "{\"access_token\":\"ya29.token-" + tokensIssued.incrementAndGet()
                + "\",\"expires_in\":3599,\"scope\":\"https://www.googleapis.com/auth/adwords\",\"token_type\":\"Bearer\"}");
    }

    /** What Google checks of the upload before looking at rows; null when the request is acceptable. */
    private static String requestProblem(PlatformReceiver.Received r) {
        if (!"DEVTOKEN-secret-1".equals(r.header("developer-token"))) {
            return "developer-token";
        }
        if (!"9998887777".equals(r.header("login-customer-id"))) {
            return "login-customer-id";
        }
        if (r.header("Authorization") == null || !r.header("Authorization").startsWith("Bearer ya29.")) {
            return "Authorization";
        }
        JsonNode body = read(r.body());
        if (!body.path("partialFailure").asBoolean(false)) {
            return "partialFailure";
        }
        if (body.path("conversions").size() > 2000) {
            return "TOO_MANY_CONVERSIONS_IN_REQUEST";
        }
        for (JsonNode c : body.path("conversions")) {
            if (!c.path("conversionAction").asText().matches("customers/1234567890/conversionActions/[0-9]+")
                    || !c.path("conversionDateTime").asText().matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}")
                    || c.path("orderId").asText().isEmpty()) {
                return "conversion fields";
            }
            int clicks = (c.has("gclid") ? 1 : 0) + (c.has("gbraid") ? 1 : 0) + (c.has("wbraid") ? 1 : 0);
            if (clicks > 1 || clicks == 0 && !c.has("userIdentifiers")) {
                return "click id";
            }
            for (JsonNode id : c.path("userIdentifiers")) {
                String hash = id.has("hashedEmail") ? id.get("hashedEmail").asText() : id.path("hashedPhoneNumber").asText();
                if (!hash.matches("[0-9a-f]{64}")) {
                    return "hash";
                }
            }
        }
        return null;
    }

    private void acceptAll() {
        google.on("/v26/", r -> {
            String problem = requestProblem(r);
            return problem == null ? PlatformReceiver.Answer.json(200, "{\"results\":[{}],\"jobId\":\"1\"}")
                    : PlatformReceiver.Answer.json(400, "{\"error\":{\"code\":400,\"message\":\"" + problem + "\",\"status\":\"INVALID_ARGUMENT\"}}");
        });
    }

    @Test
    void uploads_a_click_conversion_with_order_id_hashed_email_and_google_time_format() throws Exception {
        acceptAll();
        Outgoing event = Outgoings.conversion("default", NOW.minusSeconds(3600), Map.of("gclid", "EAIaIQobChMI"), Outgoings.EMAIL_SHA, null);

        List<Outcome> outcomes = destination.send(CONFIG, List.of(event));

        assertThat(outcomes).containsExactly(Outcome.DELIVERED);
        PlatformReceiver.Received token = google.receivedAt("/token").get(0);
        assertThat(token.body()).contains("grant_type=refresh_token");
        JsonNode c = read(google.receivedAt(UPLOAD).get(0).body()).path("conversions").get(0);
        assertThat(c.path("gclid").asText()).isEqualTo("EAIaIQobChMI");
        assertThat(c.path("conversionAction").asText()).isEqualTo("customers/1234567890/conversionActions/555");
        assertThat(c.path("conversionDateTime").asText()).isEqualTo("2026-12-07 09:00:00+00:00");
        assertThat(c.path("conversionValue").asDouble()).isEqualTo(49.9);
        assertThat(c.path("currencyCode").asText()).isEqualTo("EUR");
        assertThat(c.path("orderId").asText()).isEqualTo(event.eventId().toString());
        assertThat(c.path("userIdentifiers").get(0).path("hashedEmail").asText()).isEqualTo(Outgoings.EMAIL_SHA);
    }

    @Test
    void caches_the_access_token_until_shortly_before_it_expires() throws Exception {
        acceptAll();
        Outgoing event = Outgoings.conversion("555", NOW, Map.of("gclid", "g1"), null, null);
        destination.send(CONFIG, List.of(event));
        clock.advance(Duration.ofMinutes(50));
        destination.send(CONFIG, List.of(event));
        assertThat(google.receivedAt("/token")).hasSize(1);

        clock.advance(Duration.ofMinutes(9)); // 59 minutes: within the minute before Google's 3599 s
        destination.send(CONFIG, List.of(event));
        assertThat(google.receivedAt("/token")).hasSize(2);
        assertThat(google.receivedAt(UPLOAD).get(2).header("Authorization")).isEqualTo("Bearer ya29.token-2");
    }

    @Test
    void refreshes_the_token_once_when_google_answers_401() throws Exception {
        google.on("/v26/", r -> r.header("Authorization").equals("Bearer ya29.token-1")
                ? PlatformReceiver.Answer.json(401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}")
                : PlatformReceiver.Answer.json(200, "{\"results\":[{}]}"));

        List<Outcome> outcomes = destination.send(CONFIG, List.of(Outgoings.conversion("555", NOW, Map.of("gclid", "g1"), null, null)));

        assertThat(outcomes).containsExactly(Outcome.DELIVERED);
        assertThat(google.receivedAt("/token")).hasSize(2);
    }

    @Test
    void fails_with_googles_message_when_the_refresh_token_was_revoked() throws Exception {
        google.on("/token", r -> PlatformReceiver.Answer.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}"));

        List<Outcome> outcomes = destination.send(CONFIG, List.of(Outgoings.conversion("555", NOW, Map.of("gclid", "g1"), null, null)));

        assertThat(outcomes).containsExactly(new Outcome.Failed("OAuth token refresh refused: invalid_grant: Token has been expired or revoked."));
        assertThat(google.receivedAt("/v26/")).isEmpty();
    }

    @Test
    void maps_partial_failure_errors_to_their_rows_and_delivers_the_rest() throws Exception {
        google.on("/v26/", r -> PlatformReceiver.Answer.json(200, """
                {"partialFailureError":{"code":3,"message":"The imported gclid could not be decoded., at conversions[1].gclid",
                  "details":[{"@type":"type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
                    "errors":[{"errorCode":{"conversionUploadError":"UNPARSEABLE_GCLID"},
                               "message":"The imported gclid could not be decoded.",
                               "location":{"fieldPathElements":[{"fieldName":"conversions","index":1},{"fieldName":"gclid"}]}},
                              {"errorCode":{"conversionUploadError":"TOO_RECENT_EVENT"},
                               "message":"The click associated with the given identifier occurred less than 6 hours ago.",
                               "location":{"fieldPathElements":[{"fieldName":"conversions","index":2}]}}]}]},
                 "results":[{"gclid":"g0"},{},{}],"jobId":"42"}"""));
        List<Outgoing> batch = List.of(
                Outgoings.conversion("555", NOW, Map.of("gclid", "g0"), null, null),
                Outgoings.conversion("555", NOW.minus(Duration.ofDays(120)), Map.of("gclid", "old"), null, null),
                Outgoings.conversion("555", NOW, Map.of("gclid", "bad"), null, null),
                Outgoings.conversion("555", NOW, Map.of("gclid", "fresh"), null, null));

        List<Outcome> outcomes = destination.send(CONFIG, batch);

        assertThat(outcomes.get(0)).isEqualTo(Outcome.DELIVERED);
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Skipped.class);
        assertThat(((Outcome.Skipped) outcomes.get(1)).reason()).contains("90 days");
        assertThat(outcomes.get(2)).isEqualTo(new Outcome.Failed("The imported gclid could not be decoded."));
        assertThat(outcomes.get(3)).isEqualTo(new Outcome.Retry(Duration.ofHours(6),
                "The click associated with the given identifier occurred less than 6 hours ago."));
        assertThat(read(google.receivedAt(UPLOAD).get(0).body()).path("conversions")).hasSize(3);
    }

    @Test
    void counts_a_conversion_google_already_has_as_delivered_since_that_is_what_a_resend_after_a_crash_meets()
            throws Exception {
        google.on("/v26/", r -> PlatformReceiver.Answer.json(200, """
                {"partialFailureError":{"code":3,"message":"The imported event has the same click and conversion_date_time as an existing conversion.",
                  "details":[{"@type":"type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
                    "errors":[{"errorCode":{"conversionUploadError":"CLICK_CONVERSION_ALREADY_EXISTS"},
                               "message":"The imported event has the same click and conversion_date_time as an existing conversion.",
                               "location":{"fieldPathElements":[{"fieldName":"conversions","index":0}]}},
                              {"errorCode":{"conversionUploadError":"UNPARSEABLE_GCLID"},
                               "message":"The imported gclid could not be decoded.",
                               "location":{"fieldPathElements":[{"fieldName":"conversions","index":1}]}}]}]},
                 "results":[{},{}]}"""));
        List<Outgoing> batch = List.of(
                Outgoings.conversion("555", NOW, Map.of("gclid", "sent-before"), null, null),
                Outgoings.conversion("555", NOW, Map.of("gclid", "bad"), null, null));

        List<Outcome> outcomes = destination.send(CONFIG, batch);

        assertThat(outcomes.get(0)).isEqualTo(Outcome.DELIVERED);
        assertThat(outcomes.get(1)).isEqualTo(new Outcome.Failed("The imported gclid could not be decoded."));
    }

    @Test
    void skips_an_event_with_no_click_id_and_no_hashed_identifier_without_calling_google() throws Exception {
        acceptAll();
        List<Outcome> outcomes = destination.send(CONFIG, List.of(Outgoings.conversion("555", NOW, Map.of("fbclid", "x"), null, null)));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Skipped.class);
        assertThat(google.received()).isEmpty();
    }

    @Test
    void sends_enhanced_conversions_with_hashed_phone_when_no_click_id() throws Exception {
        acceptAll();
        List<Outcome> outcomes = destination.send(CONFIG, List.of(Outgoings.conversion("555", NOW, Map.of(), null, Outgoings.PHONE_SHA)));

        assertThat(outcomes).containsExactly(Outcome.DELIVERED);
        assertThat(read(google.receivedAt(UPLOAD).get(0).body()).path("conversions").get(0).path("userIdentifiers").get(0)
                .path("hashedPhoneNumber").asText()).isEqualTo(Outgoings.PHONE_SHA);
    }

    @Test
    void retries_quota_and_server_errors_and_fails_permission_errors() throws Exception {
        Outgoing event = Outgoings.conversion("555", NOW, Map.of("gclid", "g1"), null, null);
        google.on("/v26/", r -> new PlatformReceiver.Answer(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}", Map.of("Retry-After", "30")));
        assertThat(destination.send(CONFIG, List.of(event))).containsExactly(
                new Outcome.Retry(Duration.ofSeconds(30), "RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota)."));

        google.on("/v26/", r -> PlatformReceiver.Answer.json(503, "{\"error\":{\"code\":503,\"message\":\"The service is currently unavailable.\",\"status\":\"UNAVAILABLE\"}}"));
        assertThat(destination.send(CONFIG, List.of(event)).get(0)).isInstanceOf(Outcome.Retry.class);

        google.on("/v26/", r -> PlatformReceiver.Answer.json(403, """
                {"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED",
                  "details":[{"@type":"type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
                    "errors":[{"errorCode":{"authorizationError":"DEVELOPER_TOKEN_NOT_APPROVED"},
                               "message":"The developer token is only approved for use with test accounts."}]}]}}"""));
        assertThat(destination.send(CONFIG, List.of(event))).containsExactly(
                new Outcome.Failed("PERMISSION_DENIED: The developer token is only approved for use with test accounts."));
    }

    @Test
    void never_puts_a_credential_in_an_outcome_even_when_google_echoes_it() throws Exception {
        google.on("/v26/", r -> PlatformReceiver.Answer.json(400,
                "{\"error\":{\"code\":400,\"message\":\"bad developer-token DEVTOKEN-secret-1 for client CLIENT-secret-2\",\"status\":\"INVALID_ARGUMENT\"}}"));
        List<Outcome> outcomes = destination.send(CONFIG, List.of(Outgoings.conversion("555", NOW, Map.of("gclid", "g1"), null, null)));

        assertThat(outcomes.toString()).doesNotContain("DEVTOKEN-secret-1", "CLIENT-secret-2", "REFRESH-secret-3", "ya29.");
        assertThat(((Outcome.Failed) outcomes.get(0)).message()).contains("[redacted]");
    }

    @Test
    void declares_googles_batch_limit_and_window() throws Exception {
        acceptAll();
        assertThat(destination.maxBatch()).isEqualTo(2000);
        assertThat(destination.window()).isEqualTo(Duration.ofDays(90));
        List<Outgoing> batch = new ArrayList<>();
        for (int i = 0; i < destination.maxBatch(); i++) {
            batch.add(Outgoings.conversion("555", NOW, Map.of("gclid", "g" + i), null, null));
        }
        assertThat(destination.send(CONFIG, batch)).containsOnly(Outcome.DELIVERED).hasSize(2000);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
