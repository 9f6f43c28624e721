package io.sightline.bench.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A few blocking HTTP calls to the server on the loopback, with a Bearer token. */
final class ApiClient {
    record Answer(int status, String body) {
        JsonNode json(ObjectMapper mapper) throws IOException {
            return mapper.readTree(body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper;
    private final String base;

    ApiClient(int port, ObjectMapper mapper) {
        this.base = "http://127.0.0.1:" + port;
        this.mapper = mapper;
    }

    Answer get(String pathAndQuery, String bearer) throws IOException, InterruptedException {
        return send(request(pathAndQuery, bearer).GET().build());
    }

    Answer post(String path, String bearer, Object body) throws IOException, InterruptedException {
        return send(request(path, bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build());
    }

    private HttpRequest.Builder request(String path, String bearer) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + bearer);
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }
}
