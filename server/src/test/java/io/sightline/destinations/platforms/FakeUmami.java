package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What Umami's {@code /api/send} checks, and its answers: {@code {"cache", "sessionId", "visitId"}} on success,
 * {@code {"beep": "boop"}} (200, nothing recorded) for a bot's User-Agent, and a 400 with its error body for a
 * request it refuses.
 */
final class FakeUmami {
    static final String WEBSITE_ID = "4f8a2b1c-3d4e-4f5a-8b6c-7d8e9f0a1b2c";
    /** The gist of the bot check: crawler words, and the agents of HTTP libraries. */
    private static final Pattern BOT = Pattern.compile("bot|crawl|spider|java|curl|python|http");

    private FakeUmami() {
    }

    static RecordingReceiver.Reply answer(RecordingReceiver.Request request) {
        String agent = String.valueOf(request.header("User-Agent")).toLowerCase(Locale.ROOT);
        if (BOT.matcher(agent).find()) {
            return RecordingReceiver.Reply.json(200, "{\"beep\": \"boop\"}");
        }
        List<String> problems = problems(request);
        if (!problems.isEmpty()) {
            return refuse(String.join("; ", problems));
        }
        if (!WEBSITE_ID.equals(request.json().path("payload").path("website").asText())) {
            return refuse("Website not found.");
        }
        return RecordingReceiver.Reply.json(200, "{\"cache\": \"eyJhbGciOi.xxx\", "
                + "\"sessionId\": \"0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\", "
                + "\"visitId\": \"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
    }

    static RecordingReceiver.Reply refuse(String message) {
        return RecordingReceiver.Reply.json(400,
                "{\"error\": {\"message\": \"" + message + "\", \"code\": \"bad-request\", \"status\": 400}}");
    }

    static List<String> problems(RecordingReceiver.Request request) {
        List<String> problems = new ArrayList<>();
        if (!"POST".equals(request.method()) || !request.path().endsWith("/api/send")) {
            problems.add(request.method() + " " + request.path());
        }
        if (!String.valueOf(request.header("Content-Type")).startsWith("application/json")) {
            problems.add("content type");
        }
        JsonNode body = request.json();
        if (!"event".equals(body.path("type").asText())) {
            problems.add("type must be event");
        }
        JsonNode p = body.path("payload");
        if (!p.path("website").asText().matches("[0-9a-f-]{36}")) {
            problems.add("website must be a UUID");
        }
        if (p.path("name").asText().length() > 50 || p.path("name").asText().matches("^[=+\\-@].*")) {
            problems.add("invalid name");
        }
        if (p.path("hostname").asText().length() > 100 || p.path("title").asText().length() > 500) {
            problems.add("oversized hostname or title");
        }
        try {
            URI url = URI.create("https://" + p.path("hostname").asText("localhost") + "/").resolve(p.path("url").asText());
            if (!url.getScheme().startsWith("http") || url.getRawPath().length() > 500) {
                problems.add("Invalid or oversized URL.");
            }
        } catch (IllegalArgumentException e) {
            problems.add("Invalid URL.");
        }
        if (p.has("data") && !p.path("data").isObject()) {
            problems.add("data must be an object");
        }
        p.path("data").forEach(v -> {
            if (v.isTextual() && v.asText().length() > 500) {
                problems.add("Analytics data strings must not exceed 500 characters.");
            }
        });
        return problems;
    }
}
