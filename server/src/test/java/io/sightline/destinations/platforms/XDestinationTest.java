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

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class XDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final DestinationConfig CONFIG = new DestinationConfig(7, Map.of("pixel_id", "o8z6j", "event_id", "tw-o8z6j-o87ne"),
            Map.of("consumer_key", "ck-key-001", "consumer_secret", "cs-secret-002", "access_token", "1234-at-token-003",
                    "access_token_secret", "ats-secret-004"), false);
    private static final Pattern HEADER_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final AtomicInteger nonce = new AtomicInteger();
    private PlatformReceiver x;
    private XDestination destination;

    @BeforeEach
    void start() throws IOException {
        x = new PlatformReceiver();
        destination = new XDestination(HttpClient.newHttpClient(), x.url(), new MutableClock(NOW), () -> "nonce" + nonce.incrementAndGet());
    }

    @AfterEach
    void stop() {
        x.close();
    }

    /**
     * X's check of the OAuth 1.0a header, written here from RFC 5849 without the client's signer: rebuild the base
     * string from the request as received, HMAC-SHA1 it with the secrets, compare.
     */
    private static boolean signatureValid(PlatformReceiver.Received r, String baseUri) {
        String header = r.header("Authorization");
        if (header == null || !header.startsWith("OAuth ")) {
            return false;
        }
        Map<String, String> oauth = new TreeMap<>();
        Matcher m = HEADER_PARAM.matcher(header);
        while (m.find()) {
            oauth.put(m.group(1), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
        }
        String signature = oauth.remove("oauth_signature");
        if (signature == null || !"ck-key-001".equals(oauth.get("oauth_consumer_key")) || !"1234-at-token-003".equals(oauth.get("oauth_token"))
                || !"HMAC-SHA1".equals(oauth.get("oauth_signature_method"))) {
            return false;
        }
        List<String> pairs = new ArrayList<>();
        oauth.forEach((k, v) -> pairs.add(rfc3986(k) + "=" + rfc3986(v)));
        pairs.sort(null);
        String base = "POST&" + rfc3986(baseUri) + "&" + rfc3986(String.join("&", pairs));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((rfc3986("cs-secret-002") + "&" + rfc3986("ats-secret-004")).getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8))).equals(signature);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String rfc3986(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private void likeX() {
        x.on("/12/measurement/conversions/", r -> {
            String base = "http://127.0.0.1:" + x.url().getPort() + r.uri().getPath();
            if (!signatureValid(r, base)) {
                return PlatformReceiver.Answer.json(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED_ACCESS\",\"message\":\"This request is not properly authenticated\"}],\"request\":{\"params\":{}}}");
            }
            JsonNode conversions = read(r.body()).path("conversions");
            if (conversions.size() > 500) {
                return PlatformReceiver.Answer.json(400, "{\"errors\":[{\"code\":\"INVALID_PARAMETER\",\"message\":\"Conversion count limit is 500\"}]}");
            }
            for (JsonNode c : conversions) {
                if (c.path("identifiers").isEmpty()) {
                    return PlatformReceiver.Answer.json(400, "{\"errors\":[{\"code\":\"INVALID_PARAMETER\",\"message\":\"At least one user identifier must be provided\"}]}");
                }
                for (JsonNode id : c.path("identifiers")) {
                    if (id.has("hashed_email") && !id.get("hashed_email").asText().matches("[0-9a-f]{64}")) {
                        return PlatformReceiver.Answer.json(400, "{\"errors\":[{\"code\":\"INVALID_PARAMETER\",\"message\":\"Hashed_email is not a valid SHA-256 hash\"}]}");
                    }
                }
                if (!c.path("conversion_time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z") || c.path("event_id").asText().isEmpty()) {
                    return PlatformReceiver.Answer.json(400, "{\"errors\":[{\"code\":\"INVALID_PARAMETER\",\"message\":\"Event ID or time missing\"}]}");
                }
            }
            return PlatformReceiver.Answer.json(200, "{\"request\":{\"params\":{\"account_id\":\"18ce54d4x5t\"}},\"data\":{\"conversions_processed\":"
                    + conversions.size() + ",\"debug_id\":\"abc\"}}");
        });
    }

    @Test
    void sends_a_signed_conversion_that_x_verifies_with_twclid_hashed_email_and_conversion_id() throws Exception {
        likeX();
        UUID id = UUID.randomUUID();
        Outgoing event = Outgoings.event(id, "default", NOW.minusMillis(1500), 19.5, "USD", Map.of("twclid", "23opevjt88psuo13lu8d020qkn"),
                Outgoings.EMAIL_SHA, Outgoings.PHONE_SHA, null, null, "{\"quantity\":3}");

        assertThat(destination.send(CONFIG, List.of(event))).containsExactly(Outcome.DELIVERED);

        PlatformReceiver.Received r = x.received().get(0);
        assertThat(r.uri().getPath()).isEqualTo("/12/measurement/conversions/o8z6j");
        JsonNode c = read(r.body()).path("conversions").get(0);
        assertThat(c.path("conversion_time").asText()).isEqualTo("2026-12-07T09:59:58.500Z");
        assertThat(c.path("event_id").asText()).isEqualTo("tw-o8z6j-o87ne");
        assertThat(c.path("conversion_id").asText()).isEqualTo(id.toString());
        assertThat(c.path("identifiers").toString()).isEqualTo("[{\"twclid\":\"23opevjt88psuo13lu8d020qkn\"},{\"hashed_email\":\""
                + Outgoings.EMAIL_SHA + "\"},{\"hashed_phone_number\":\"" + Outgoings.PHONE_SHA + "\"}]");
        assertThat(c.path("value").asDouble()).isEqualTo(19.5);
        assertThat(c.path("price_currency").asText()).isEqualTo("USD");
        assertThat(c.path("number_items").asInt()).isEqualTo(3);
    }

    @Test
    void the_receiver_rejects_a_signature_made_with_another_secret() throws Exception {
        likeX();
        DestinationConfig wrong = new DestinationConfig(7, CONFIG.values(), Map.of("consumer_key", "ck-key-001", "consumer_secret", "not-the-secret",
                "access_token", "1234-at-token-003", "access_token_secret", "ats-secret-004"), false);

        List<Outcome> outcomes = destination.send(wrong, List.of(Outgoings.conversion("default", NOW, Map.of("twclid", "t"), null, null)));

        assertThat(outcomes).containsExactly(new Outcome.Failed("HTTP 401: UNAUTHORIZED_ACCESS This request is not properly authenticated"));
        assertThat(outcomes.toString()).doesNotContain("not-the-secret", "ats-secret-004");
    }

    @Test
    void a_400_fails_the_whole_batch_with_xs_messages() throws Exception {
        x.on("/12/", r -> PlatformReceiver.Answer.json(400,
                "{\"errors\":[{\"code\":\"INVALID_PARAMETER\",\"message\":\"Event_id (tw-o8z6j-o87ne) is not a single event tag (SET)\"}],\"request\":{\"params\":{}}}"));
        List<Outcome> outcomes = destination.send(CONFIG, List.of(
                Outgoings.conversion("default", NOW, Map.of("twclid", "a"), null, null),
                Outgoings.conversion("default", NOW, Map.of("twclid", "b"), null, null)));

        Outcome failed = new Outcome.Failed("HTTP 400: INVALID_PARAMETER Event_id (tw-o8z6j-o87ne) is not a single event tag (SET)");
        assertThat(outcomes).containsExactly(failed, failed);
    }

    @Test
    void retries_a_rate_limit_until_x_rate_limit_reset_and_server_errors() throws Exception {
        Outgoing event = Outgoings.conversion("default", NOW, Map.of("twclid", "a"), null, null);
        x.on("/12/", r -> new PlatformReceiver.Answer(429, "{\"errors\":[{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"Rate limit exceeded\"}]}",
                Map.of("x-rate-limit-reset", Long.toString(NOW.plusSeconds(120).getEpochSecond()))));
        assertThat(destination.send(CONFIG, List.of(event))).containsExactly(
                new Outcome.Retry(Duration.ofSeconds(120), "HTTP 429: TOO_MANY_REQUESTS Rate limit exceeded"));

        x.on("/12/", r -> PlatformReceiver.Answer.json(503, "{\"errors\":[{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"Over capacity\"}]}"));
        assertThat(destination.send(CONFIG, List.of(event)).get(0)).isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void skips_events_without_identifier_or_older_than_the_window() throws Exception {
        likeX();
        List<Outcome> outcomes = destination.send(CONFIG, List.of(
                Outgoings.conversion("default", NOW, Map.of("gclid", "g"), null, null),
                Outgoings.conversion("default", NOW.minus(Duration.ofDays(31)), Map.of("twclid", "t"), null, null)));

        assertThat(outcomes).allMatch(o -> o instanceof Outcome.Skipped);
        assertThat(((Outcome.Skipped) outcomes.get(1)).reason()).contains("30 days");
        assertThat(x.received()).isEmpty();
    }

    @Test
    void sends_ip_and_user_agent_only_beside_another_identifier() throws Exception {
        likeX();
        destination.send(CONFIG, List.of(Outgoings.event(UUID.randomUUID(), "default", NOW, null, null, Map.of("twclid", "t"),
                null, null, "203.0.113.9", "Mozilla/5.0", "{}")));
        assertThat(read(x.received().get(0).body()).path("conversions").get(0).path("identifiers").toString())
                .contains("\"ip_address\":\"203.0.113.9\"", "\"user_agent\":\"Mozilla/5.0\"");

        List<Outcome> alone = destination.send(CONFIG, List.of(Outgoings.event(UUID.randomUUID(), "default", NOW, null, null, Map.of(),
                null, null, "203.0.113.9", "Mozilla/5.0", "{}")));
        assertThat(alone.get(0)).isInstanceOf(Outcome.Skipped.class);
    }

    @Test
    void a_full_batch_of_500_is_accepted() throws Exception {
        likeX();
        List<Outgoing> batch = new ArrayList<>();
        for (int i = 0; i < destination.maxBatch(); i++) {
            batch.add(Outgoings.conversion("default", NOW, Map.of("twclid", "t" + i), null, null));
        }
        assertThat(destination.send(CONFIG, batch)).hasSize(500).containsOnly(Outcome.DELIVERED);
        assertThat(destination.maxBatch()).isEqualTo(500);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
