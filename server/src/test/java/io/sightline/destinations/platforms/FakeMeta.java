package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What Meta's Conversions API checks before it accepts a request, and the bodies it answers with: the documented
 * success ({@code events_received}, {@code messages}, {@code fbtrace_id}) and the Graph API error shape.
 */
final class FakeMeta {
    static final String TOKEN = "EAAB-secret-token-value";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private FakeMeta() {
    }

    static RecordingReceiver.Reply accept(RecordingReceiver.Request request) {
        List<String> problems = problems(request);
        if (!problems.isEmpty()) {
            return error(400, "Invalid parameter", 100, 2804050, false, String.join("; ", problems));
        }
        int received = request.json().path("data").size();
        return RecordingReceiver.Reply.json(200,
                "{\"events_received\": " + received + ", \"messages\": [], \"fbtrace_id\": \"AbCdEf123\"}");
    }

    static RecordingReceiver.Reply error(int status, String message, int code, Integer subcode, boolean transientFlag,
                                       String userMessage) {
        return RecordingReceiver.Reply.json(status, "{\"error\": {\"message\": \"" + message + "\","
                + " \"type\": \"OAuthException\", \"code\": " + code + ","
                + (subcode == null ? "" : " \"error_subcode\": " + subcode + ",")
                + " \"is_transient\": " + transientFlag + ","
                + (userMessage == null ? "" : " \"error_user_msg\": \"" + userMessage + "\",")
                + " \"fbtrace_id\": \"Az9Trace\"}}");
    }

    static List<String> problems(RecordingReceiver.Request request) {
        List<String> problems = new ArrayList<>();
        if (!"POST".equals(request.method())) {
            problems.add("method " + request.method());
        }
        if (!String.valueOf(request.header("Content-Type")).startsWith("application/json")) {
            problems.add("content type " + request.header("Content-Type"));
        }
        JsonNode body = request.json();
        if (!TOKEN.equals(body.path("access_token").asText(null))) {
            problems.add("access_token missing from the body");
        }
        JsonNode data = body.path("data");
        if (!data.isArray() || data.isEmpty() || data.size() > 1000) {
            problems.add("data must hold 1 to 1000 events, has " + data.size());
        }
        for (JsonNode event : data) {
            for (String required : List.of("event_name", "event_time", "action_source", "user_data")) {
                if (!event.has(required)) {
                    problems.add("missing " + required);
                }
            }
            if (!event.path("event_time").isIntegralNumber()
                    || String.valueOf(event.path("event_time").asLong()).length() != 10) {
                problems.add("event_time must be Unix seconds");
            }
            for (String hashed : List.of("em", "ph", "external_id")) {
                JsonNode list = event.path("user_data").path(hashed);
                if (!list.isMissingNode()) {
                    if (!list.isArray()) {
                        problems.add(hashed + " must be a list");
                    }
                    list.forEach(h -> {
                        if (!SHA256.matcher(h.asText()).matches()) {
                            problems.add(hashed + " is not a SHA-256 hex");
                        }
                    });
                }
            }
            if ("app".equals(event.path("action_source").asText())) {
                JsonNode app = event.path("app_data");
                for (String required : List.of("advertiser_tracking_enabled", "application_tracking_enabled",
                        "extinfo")) {
                    if (!app.has(required)) {
                        problems.add("app_data." + required + " missing");
                    }
                }
                JsonNode extinfo = app.path("extinfo");
                String version = extinfo.path(0).asText();
                if (extinfo.size() != 16 || !(version.equals("a2") || version.equals("i2"))) {
                    problems.add("extinfo must have 16 values starting with a2 or i2");
                }
            }
            if ("Purchase".equals(event.path("event_name").asText())
                    && !(event.path("custom_data").has("value") && event.path("custom_data").has("currency"))) {
                problems.add("Purchase needs value and currency");
            }
        }
        return problems;
    }
}
