package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What GA4's Measurement Protocol checks, and how it answers: {@code /mp/collect} answers 204 whatever the payload
 * (GA4 reports no error there), {@code /debug/mp/collect} answers {@code {"validationMessages": [...]}}.
 */
final class FakeGa4 {
    static final String SECRET = "mp-api-secret-XYZ";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");
    private static final Set<String> RESERVED = Set.of("page_view", "session_start", "first_visit", "user_engagement",
            "screen_view", "app_remove", "click", "error");

    private FakeGa4() {
    }

    static RecordingReceiver.Reply answer(RecordingReceiver.Request request) {
        if (request.path().equals("/debug/mp/collect")) {
            StringBuilder messages = new StringBuilder();
            for (String p : problems(request)) {
                messages.append(messages.isEmpty() ? "" : ",").append("{\"fieldPath\": \"events\", \"description\": \"")
                        .append(p.replace("\"", "'")).append("\", \"validationCode\": \"VALUE_INVALID\"}");
            }
            return RecordingReceiver.Reply.json(200, "{\"validationMessages\": [" + messages + "]}");
        }
        return new RecordingReceiver.Reply(204, java.util.Map.of(), "");
    }

    static List<String> problems(RecordingReceiver.Request request) {
        List<String> problems = new ArrayList<>();
        if (!"POST".equals(request.method())) {
            problems.add("method " + request.method());
        }
        if (!String.valueOf(request.header("Content-Type")).startsWith("application/json")) {
            problems.add("content type");
        }
        if (!SECRET.equals(request.queryParam("api_secret"))) {
            problems.add("api_secret missing from the query");
        }
        boolean web = request.queryParam("measurement_id") != null;
        boolean app = request.queryParam("firebase_app_id") != null;
        if (web == app) {
            problems.add("exactly one of measurement_id and firebase_app_id");
        }
        JsonNode body = request.json();
        if (web && !body.path("client_id").isTextual()) {
            problems.add("client_id required for a web stream");
        }
        if (app && !body.path("app_instance_id").asText("").matches("[0-9a-fA-F]{32}")) {
            problems.add("app_instance_id required for an app stream");
        }
        if (String.valueOf(body.path("timestamp_micros").asLong()).length() != 16) {
            problems.add("timestamp_micros must be microseconds");
        }
        JsonNode userData = body.path("user_data");
        for (String field : List.of("sha256_email_address", "sha256_phone_number")) {
            userData.path(field).forEach(h -> {
                if (!SHA256.matcher(h.asText()).matches()) {
                    problems.add(field + " is not SHA-256 hex");
                }
            });
        }
        JsonNode events = body.path("events");
        if (!events.isArray() || events.isEmpty() || events.size() > 25) {
            problems.add("a request holds 1 to 25 events, has " + events.size());
        }
        for (JsonNode e : events) {
            String name = e.path("name").asText("");
            if (!NAME.matcher(name).matches() || RESERVED.contains(name) || name.startsWith("ga_")
                    || name.startsWith("google_") || name.startsWith("firebase_")) {
                problems.add("invalid event name " + name);
            }
            JsonNode params = e.path("params");
            if (params.size() > 25) {
                problems.add("more than 25 params");
            }
            params.fieldNames().forEachRemaining(k -> {
                if (!NAME.matcher(k).matches() || k.startsWith("ga_") || k.startsWith("google_")) {
                    problems.add("invalid param name " + k);
                }
            });
            if (name.equals("purchase") && !(params.has("currency") && params.has("value")
                    && params.has("transaction_id"))) {
                problems.add("purchase needs value, currency and transaction_id");
            }
        }
        return problems;
    }
}
