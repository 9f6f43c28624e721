package io.sightline.bench.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin API calls the benchmark makes: create the four ad-platform destinations of an app, and switch them on
 * and off with {@code PATCH {"enabled": ...}}. The credentials are made up: the receivers check none of them.
 */
final class AdminApi {
    /** One destination per platform, each with its default event rule ({@code conversion}). */
    private static final List<String> DESTINATIONS = List.of(
            "{\"type\":\"meta\",\"name\":\"Bench Meta\",\"config\":{\"pixel_id\":\"123456789012345\","
                    + "\"access_token\":\"EAAGbenchToken\"}}",
            "{\"type\":\"google_ads\",\"name\":\"Bench Google Ads\",\"config\":{\"customer_id\":\"123-456-7890\","
                    + "\"conversion_action_id\":\"987654321\",\"developer_token\":\"bench-dev-token\","
                    + "\"client_id\":\"bench.apps.googleusercontent.com\",\"client_secret\":\"bench-client-secret\","
                    + "\"refresh_token\":\"1//bench-refresh\"}}",
            "{\"type\":\"linkedin\",\"name\":\"Bench LinkedIn\",\"config\":{\"access_token\":\"AQbenchToken\","
                    + "\"conversion_rule_id\":\"104012\"}}",
            "{\"type\":\"x\",\"name\":\"Bench X\",\"config\":{\"pixel_id\":\"o8z6j\",\"event_id\":\"tw-o8z6j-o87ne\","
                    + "\"consumer_key\":\"bench-consumer-key\",\"consumer_secret\":\"bench-consumer-secret\","
                    + "\"access_token\":\"bench-access-token\",\"access_token_secret\":\"bench-access-secret\"}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String adminToken;

    AdminApi(int port, String adminToken) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.adminToken = adminToken;
    }

    /** Creates the four destinations, enabled; returns their ids. */
    List<Long> createAdDestinations(long appId) throws IOException, InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (String body : DESTINATIONS) {
            JsonNode created = call("POST", "/api/v1/apps/" + appId + "/destinations", body, 201);
            ids.add(created.path("id").asLong());
        }
        return ids;
    }

    void setEnabled(long appId, List<Long> destinations, boolean enabled) throws IOException, InterruptedException {
        for (long id : destinations) {
            call("PATCH", "/api/v1/apps/" + appId + "/destinations/" + id, "{\"enabled\":" + enabled + "}", 200);
        }
    }

    private JsonNode call(String method, String path, String body, int expected) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
