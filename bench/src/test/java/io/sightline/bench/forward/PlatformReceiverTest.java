package io.sightline.bench.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void google_receiver_issues_a_token_and_answers_each_accepted_row_with_a_result() throws Exception {
        try (PlatformReceiver google = PlatformReceiver.googleAds()) {
            HttpResponse<String> token = post(google, "/token",
                    "client_id=c&client_secret=s&refresh_token=r&grant_type=refresh_token", "application/x-www-form-urlencoded");
            assertThat(JSON.readTree(token.body()).path("access_token").asText()).startsWith("ya29.");

            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            HttpResponse<String> upload = post(google, "/v26/customers/1234567890:uploadClickConversions",
                    "{\"conversions\":[{\"gclid\":\"g1\",\"conversionAction\":\"customers/1234567890/conversionActions/9\","
                            + "\"orderId\":\"" + a + "\"},{\"gclid\":\"g2\",\"orderId\":\"" + b + "\"}],\"partialFailure\":true}",
                    "application/json");

            assertThat(upload.statusCode()).isEqualTo(200);
            JsonNode results = JSON.readTree(upload.body()).path("results");
            assertThat(results.size()).isEqualTo(2);
            assertThat(results.get(0).path("conversionAction").asText()).isEqualTo("customers/1234567890/conversionActions/9");
            assertThat(google.receipts().firstReceipts()).containsOnlyKeys(a, b);
            assertThat(google.tokensIssued()).isEqualTo(1);
        }
    }

    @Test
    void linkedin_receiver_answers_a_201_per_element_and_refuses_a_body_without_event_ids() throws Exception {
        try (PlatformReceiver linkedIn = PlatformReceiver.linkedIn()) {
            UUID a = UUID.randomUUID();
            HttpResponse<String> ok = post(linkedIn, "/rest/conversionEvents",
                    "{\"elements\":[{\"eventId\":\"" + a + "\"}]}", "application/json");
            HttpResponse<String> bad = post(linkedIn, "/rest/conversionEvents", "{\"elements\":[{}]}", "application/json");

            assertThat(JSON.readTree(ok.body())).isEqualTo(JSON.readTree("{\"elements\":[{\"status\":201}]}"));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(linkedIn.refused()).isEqualTo(1);
            assertThat(linkedIn.requests()).isEqualTo(2);
            assertThat(linkedIn.receipts().firstReceipts()).containsOnlyKeys(a);
        }
    }

    private HttpResponse<String> post(PlatformReceiver receiver, String path, String body, String type) throws Exception {
        return http.send(HttpRequest.newBuilder(receiver.baseUrl().resolve(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
