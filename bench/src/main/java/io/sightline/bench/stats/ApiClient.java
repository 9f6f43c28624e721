package io.sightline.bench.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A few blocking HTTP calls to the server on the loopback, with a Bearer token (none when it is null). */
public final class ApiClient {
    public record Answer(int status, String body) {
        public JsonNode json(ObjectMapper mapper) throws IOException {
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

    public Answer get(String pathAndQuery, String bearer) throws IOException, InterruptedException {
        return send(request(pathAndQuery, bearer).GET().build());
    }

    public Answer post(String path, String bearer, Object body) throws IOException, InterruptedException {
        return send(request(path, bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build());
    }

    /** A body on one line, cut to 160 characters: enough to say why a call failed. */
    public static String excerpt(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ");
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
    }

    private HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        return bearer == null ? b : b.header("Authorization", "Bearer " + bearer);
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }
}
