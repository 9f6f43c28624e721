package io.sightline.ingest.umami;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An app with an Umami website id on a test server, and its stored events as Umami clients left them. */
final class UmamiFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A desktop browser's User-Agent: the Java client's own would be judged by the bot filter. */
    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/126.0.0.0 Safari/537.36";

    /** One stored event: its type and name, its properties, and what enrichment derived. */
    record Row(String type, String name, JsonNode properties, String locale, String visitorId, String sessionId,
               String userId, Instant occurredAt) {}

    final TestServer server;
    final long appId;
    final UUID website;

    private UmamiFixture(TestServer server, long appId, UUID website) {
        this.server = server;
        this.appId = appId;
        this.website = website;
    }

    /** A new app whose website id is fresh, mapping "Product Placed" to placement. */
    static UmamiFixture app(TestServer server, String name) throws Exception {
        HttpResponse<String> created = server.admin("POST", "/api/v1/apps", "{\"name\":\"" + name + "\"}");
        long id = JSON.readTree(created.body()).get("id").asLong();
        UUID website = UUID.randomUUID();
        HttpResponse<String> patched = server.admin("PATCH", "/api/v1/apps/" + id, "{\"umami_website_id\":\"" + website
                + "\",\"event_types\":{\"Product Placed\":\"placement\"}}");
        if (patched.statusCode() != 200) {
            throw new IllegalStateException("PATCH answered " + patched.statusCode() + ": " + patched.body());
        }
        return new UmamiFixture(server, id, website);
    }

    HttpResponse<String> send(String type, String payloadFields) {
        return post("/api/send", message(type, payloadFields));
    }

    /** {"type": type, "payload": {"website": this app's, ...payloadFields}} */
    String message(String type, String payloadFields) {
        return "{\"type\":\"" + type + "\",\"payload\":{\"website\":\"" + website + "\""
                + (payloadFields.isEmpty() ? "" : "," + payloadFields) + "}}";
    }

    HttpResponse<String> post(String path, String body) {
        return server.post(path, body, Map.of("Content-Type", "application/json", "User-Agent", BROWSER));
    }

    List<Row> rows() throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT event_type, event_name, properties::text, locale, visitor_id, session_id, user_id, occurred_at"
                        + " FROM analytics_events WHERE app_id = ? ORDER BY received_at, event_name NULLS FIRST")) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), JSON.readTree(rs.getString(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()));
                }
                return rows;
            }
        }
    }

    /** The rows once there are {@code count} of them (a browser sends on its own time), failing after 15 s. */
    List<Row> awaitRows(int count) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        List<Row> rows = rows();
        while (rows.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            rows = rows();
        }
        return rows;
    }
}
