package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.auth.Secrets;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Read-only API tokens: created by an admin and shown once; they read their own app's stats and nothing else. */
class StatsAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static long app;
    private static long otherApp;
    private static String otherWriteKey;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        app = JSON.readTree(server.admin("GET", "/api/v1/apps", null).body()).get("apps").get(0).get("id").asLong();
        JsonNode other = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"other\"}").body());
        otherApp = other.get("id").asLong();
        otherWriteKey = other.get("write_key").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode createToken(long appId, String label) throws Exception {
        HttpResponse<String> r = server.admin("POST", "/api/v1/apps/" + appId + "/api-tokens", "{\"label\":\"" + label + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> summary(long appId, Map<String, String> headers) {
        return server.get("/api/v1/apps/" + appId + "/stats/summary", headers);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String errorCode(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("error").get("code").asText();
    }

    @Test
    void an_apps_token_reads_that_apps_stats() throws Exception {
        String token = createToken(app, "dashboard").get("token").asText();
        assertThat(summary(app, bearer(token)).statusCode()).isEqualTo(200);
        assertThat(server.get("/api/v1/apps/" + app + "/stats/realtime", bearer(token)).statusCode()).isEqualTo(200);
    }

    @Test
    void an_admin_token_reads_any_apps_stats() {
        assertThat(summary(otherApp, bearer(server.adminToken())).statusCode()).isEqualTo(200);
    }

    @Test
    void a_write_key_cannot_read_stats() throws Exception {
        HttpResponse<String> header = summary(app, Map.of("X-Write-Key", server.writeKey()));
        assertThat(header.statusCode()).isEqualTo(401);
        assertThat(errorCode(header)).isEqualTo("missing_token");
        HttpResponse<String> asBearer = summary(app, bearer(server.writeKey()));
        assertThat(asBearer.statusCode()).isEqualTo(401);
        assertThat(errorCode(asBearer)).isEqualTo("invalid_token");
        String basic = java.util.Base64.getEncoder().encodeToString((server.writeKey() + ":").getBytes());
        assertThat(summary(app, Map.of("Authorization", "Basic " + basic)).statusCode()).isEqualTo(401);
    }

    @Test
    void another_apps_token_is_refused() throws Exception {
        String token = createToken(otherApp, "other dashboard").get("token").asText();
        HttpResponse<String> r = summary(app, bearer(token));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(errorCode(r)).isEqualTo("forbidden");
        assertThat(summary(otherApp, bearer(token)).statusCode()).isEqualTo(200);
        assertThat(otherWriteKey).isNotEqualTo(token);
    }

    @Test
    void a_revoked_token_is_refused_and_stays_listed_as_revoked() throws Exception {
        JsonNode created = createToken(app, "to revoke");
        String token = created.get("token").asText();
        assertThat(server.admin("DELETE", "/api/v1/apps/" + app + "/api-tokens/" + created.get("id").asLong(), null)
                .statusCode()).isEqualTo(204);
        HttpResponse<String> r = summary(app, bearer(token));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(errorCode(r)).isEqualTo("invalid_token");
        JsonNode listed = JSON.readTree(server.admin("GET", "/api/v1/apps/" + app + "/api-tokens", null).body());
        JsonNode entry = null;
        for (JsonNode t : listed.get("api_tokens")) {
            if (t.get("id").asLong() == created.get("id").asLong()) {
                entry = t;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.get("revoked_at").isNull()).isFalse();
    }

    @Test
    void the_secret_is_shown_once_and_stored_only_as_its_sha256() throws Exception {
        JsonNode created = createToken(app, "once");
        String token = created.get("token").asText();
        assertThat(token).startsWith("slr_");
        String list = server.admin("GET", "/api/v1/apps/" + app + "/api-tokens", null).body();
        assertThat(list).doesNotContain(token).contains("\"once\"");
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT token_hash FROM api_tokens WHERE id = ?")) {
            ps.setLong(1, created.get("id").asLong());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getBytes(1)).isEqualTo(Secrets.sha256(token));
            }
        }
    }

    @Test
    void missing_or_unknown_tokens_get_401_and_only_admins_manage_tokens() throws Exception {
        assertThat(summary(app, Map.of()).statusCode()).isEqualTo(401);
        assertThat(summary(app, bearer("slr_nonsense")).statusCode()).isEqualTo(401);
        String token = createToken(app, "reader").get("token").asText();
        HttpResponse<String> r = server.post("/api/v1/apps/" + app + "/api-tokens", "{\"label\":\"x\"}",
                Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(server.admin("POST", "/api/v1/apps/" + app + "/api-tokens", "{\"label\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(server.admin("POST", "/api/v1/apps/999999/api-tokens", "{\"label\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(server.admin("DELETE", "/api/v1/apps/" + app + "/api-tokens/999999", null).statusCode()).isEqualTo(404);
    }
}
