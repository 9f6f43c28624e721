package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.sightline.destinations.Forwarding.admin;
import static io.sightline.destinations.Forwarding.await;
import static io.sightline.destinations.Forwarding.conversion;
import static io.sightline.destinations.Forwarding.newId;
import static io.sightline.destinations.Forwarding.secret;
import static io.sightline.destinations.Forwarding.track;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The five ad platforms with every kind of credential (access tokens, an API secret, a refresh token and OAuth
 * client secret, OAuth 1.0a keys), all pointed at a platform that repeats each whole request in its error: the
 * dead letters keep the platforms' messages, and no credential shows in any answer or in the server's log.
 */
class ForwardingCredentialsTest {
    private static final String BASE = "/api/v1/apps/1/destinations";

    @Test
    void no_credential_shows_in_dead_letters_answers_or_the_log_even_when_a_platform_echoes_the_request()
            throws Exception {
        Forwarding.captureLog();
        try (PlatformStub echo = new PlatformStub(PlatformStub.echo());
             TestServer server = TestServer.startForwarding(Forwarding.env(echo,
                     "SIGHTLINE_GOOGLE_ADS_BASE_URL", echo.baseUrl().toString(),
                     "SIGHTLINE_GOOGLE_OAUTH_URL", echo.baseUrl() + "/token",
                     "SIGHTLINE_GA4_BASE_URL", echo.baseUrl().toString(),
                     "SIGHTLINE_LINKEDIN_BASE_URL", echo.baseUrl().toString(),
                     "SIGHTLINE_X_BASE_URL", echo.baseUrl().toString(),
                     "SIGHTLINE_FORWARD_MAX_ATTEMPTS", "2"), Clock.systemUTC())) {
            Map<String, Long> ids = new LinkedHashMap<>();
            ids.put("meta", Forwarding.create(server, "{\"type\":\"meta\",\"name\":\"M\",\"config\":{\"pixel_id\":\""
                    + Forwarding.PIXEL + "\",\"access_token\":\"" + secret("EAAG") + "\"}}"));
            // A Google refresh token has slashes: its URL-encoded form in the token request is checked too.
            ids.put("google_ads", Forwarding.create(server, "{\"type\":\"google_ads\",\"name\":\"G\",\"config\":{"
                    + "\"customer_id\":\"1234567890\",\"conversion_action_id\":\"42\",\"developer_token\":\""
                    + secret("devtok") + "\",\"client_id\":\"123-abc.apps.googleusercontent.com\","
                    + "\"client_secret\":\"" + secret("GOCSPX-") + "\",\"refresh_token\":\"" + secret("1//0g/") + "\"}}"));
            ids.put("ga4", Forwarding.create(server, "{\"type\":\"ga4\",\"name\":\"A\",\"config\":{\"measurement_id\":"
                    + "\"G-ABC1234\",\"api_secret\":\"" + secret("ga4sec") + "\"}}"));
            ids.put("linkedin", Forwarding.create(server, "{\"type\":\"linkedin\",\"name\":\"L\",\"config\":{"
                    + "\"conversion_rule_id\":\"12345\",\"access_token\":\"" + secret("AQX") + "\"}}"));
            ids.put("x", Forwarding.create(server, "{\"type\":\"x\",\"name\":\"X\",\"config\":{\"pixel_id\":\"o8z6j\","
                    + "\"event_id\":\"tw-o8z6j-o8ze3\",\"consumer_key\":\"" + secret("ck") + "\",\"consumer_secret\":\""
                    + secret("cs") + "\",\"access_token\":\"" + secret("12-at") + "\",\"access_token_secret\":\""
                    + secret("ats") + "\"}}"));
            String email = conversion(newId(), 20.0, true, "v-cred").replace("\"traits\":{",
                    "\"traits\":{\"phone\":\"+44 20 7946 0958\",\"external_id\":\"crm-1\",");
            String e = track(server, email);

            List<String> answers = new ArrayList<>();
            await(Duration.ofSeconds(30), "every destination has given the event up or is retrying it", () -> {
                answers.clear();
                boolean all = true;
                for (var d : ids.entrySet()) {
                    String path = BASE + "/" + d.getValue() + "/deliveries";
                    JsonNode dead = list(server, path + "?status=dead");
                    JsonNode pending = list(server, path + "?status=pending");
                    answers.add(d.getKey() + " dead " + dead + " pending " + pending);
                    all &= dead.size() + pending.size() > 0;
                }
                return all;
            });
            await(Duration.ofSeconds(30), "the event is a dead letter everywhere", () -> ids.values().stream()
                    .allMatch(id -> list(server, BASE + "/" + id + "/deliveries?status=dead").size() == 1));
            for (var d : ids.entrySet()) {
                JsonNode letter = list(server, BASE + "/" + d.getValue() + "/deliveries?status=dead").get(0);
                System.out.println("dead letter of " + d.getKey() + ": " + letter.get("error").asText());
                assertThat(letter.get("event_id").asText()).isEqualTo(e);
                assertThat(letter.get("error").asText()).as(d.getKey()).isNotBlank();
                Forwarding.assertNoSecret(letter.toString());
            }
            Forwarding.assertNoSecret(String.join("\n", answers));
            Forwarding.assertNoSecret(admin(server, "GET", BASE, null, 200).toString());
            assertThat(echo.hits()).as("the platforms were asked").isNotEmpty();
            Forwarding.assertNoSecret(server.get("/metrics", Map.of("Authorization", "Bearer "
                    + server.adminToken())).body());
        }
        Forwarding.assertNoSecret(Forwarding.log());
    }

    private static JsonNode list(TestServer server, String pathAndQuery) {
        try {
            return admin(server, "GET", pathAndQuery, null, 200).get("deliveries");
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
