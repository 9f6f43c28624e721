package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void apps_created_without_retention_days_keep_events_as_long_as_the_server_setting_says() throws Exception {
        try (TestServer shortLived = TestServer.start(Map.of("SIGHTLINE_RETENTION_DAYS", "90"), java.time.Clock.systemUTC())) {
            JsonNode defaultApp = JSON.readTree(shortLived.admin("GET", "/api/v1/apps/1", null).body());
            assertThat(defaultApp.get("retention_days").asInt()).isEqualTo(90);
            HttpResponse<String> created = shortLived.admin("POST", "/api/v1/apps", "{\"name\":\"Kiosk\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(JSON.readTree(created.body()).get("retention_days").asInt()).isEqualTo(90);
        }
    }

    @Test
    void creates_lists_and_shows_apps() throws Exception {
        HttpResponse<String> created = server.admin("POST", "/api/v1/apps",
                "{\"name\":\"Showroom\",\"retention_days\":90,\"time_zone\":\"Europe/Berlin\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode app = JSON.readTree(created.body());
        assertThat(app.get("name").asText()).isEqualTo("Showroom");
        assertThat(app.get("retention_days").asInt()).isEqualTo(90);
        assertThat(app.get("time_zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(app.get("write_key").asText()).startsWith("wk_");

        JsonNode list = JSON.readTree(server.admin("GET", "/api/v1/apps", null).body());
        assertThat(list.get("apps").findValuesAsText("name")).contains("default", "Showroom");
        HttpResponse<String> shown = server.admin("GET", "/api/v1/apps/" + app.get("id").asLong(), null);
        assertThat(JSON.readTree(shown.body()).get("write_key").asText()).isEqualTo(app.get("write_key").asText());
        assertThat(server.admin("GET", "/api/v1/apps/999999", null).statusCode()).isEqualTo(404);
    }

    /** Every admin route under an app that does not exist answers the same 404, before reading any body. */
    @Test
    void answers_every_route_of_an_unknown_app_with_the_same_404() throws Exception {
        String[][] routes = {{"GET", ""}, {"PATCH", ""}, {"POST", "/write-key"}, {"GET", "/share-links"},
                {"POST", "/share-links"}, {"DELETE", "/share-links/1"}, {"GET", "/api-tokens"}, {"POST", "/api-tokens"},
                {"DELETE", "/api-tokens/1"}};
        for (String[] route : routes) {
            String body = route[0].equals("PATCH") || route[0].equals("POST") ? "{\"label\":\"x\"}" : null;
            if (route[0].equals("PATCH")) {
                body = "{\"name\":\"x\"}";
            }
            HttpResponse<String> r = server.admin(route[0], "/api/v1/apps/999999" + route[1], body);
            assertThat(r.statusCode()).as(route[0] + " " + route[1]).isEqualTo(404);
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).as(route[0] + " " + route[1]).isEqualTo("not_found");
            assertThat(error.get("message").asText()).as(route[0] + " " + route[1]).isEqualTo("no app with that id");
        }
    }

    @Test
    void refuses_an_app_without_a_name_or_with_a_bad_time_zone_naming_the_field() throws Exception {
        HttpResponse<String> noName = server.admin("POST", "/api/v1/apps", "{}");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noName.body()).get("error").get("field").asText()).isEqualTo("name");
        HttpResponse<String> badZone = server.admin("POST", "/api/v1/apps", "{\"name\":\"x\",\"time_zone\":\"Mars/Base\"}");
        assertThat(JSON.readTree(badZone.body()).get("error").get("field").asText()).isEqualTo("time_zone");
        HttpResponse<String> badRetention = server.admin("POST", "/api/v1/apps", "{\"name\":\"x\",\"retention_days\":0}");
        assertThat(JSON.readTree(badRetention.body()).get("error").get("field").asText()).isEqualTo("retention_days");
    }

    @Test
    void a_rotated_write_key_stops_working_and_the_new_one_works() throws Exception {
        JsonNode app = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"rotating\"}").body());
        String oldKey = app.get("write_key").asText();
        Map<String, String> oldHeaders = Map.of("Content-Type", "application/json", "X-Write-Key", oldKey);
        assertThat(server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\"}", oldHeaders).statusCode()).isEqualTo(200);

        HttpResponse<String> rotated = server.admin("POST", "/api/v1/apps/" + app.get("id").asLong() + "/write-key", null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String newKey = JSON.readTree(rotated.body()).get("write_key").asText();
        assertThat(newKey).isNotEqualTo(oldKey);

        assertThat(server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\"}", oldHeaders).statusCode()).isEqualTo(401);
        assertThat(server.post("/api/v1/analytics/track", "{\"type\":\"screenshot\"}",
                Map.of("Content-Type", "application/json", "X-Write-Key", newKey)).statusCode()).isEqualTo(200);
    }

    @Test
    void a_write_key_can_never_call_the_admin_api() {
        String key = server.writeKey();
        String basic = Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        for (Map<String, String> headers : new Map[]{
                Map.of("Authorization", "Bearer " + key),
                Map.of("X-Write-Key", key),
                Map.of("Authorization", "Basic " + basic),
                Map.<String, String>of()}) {
            HttpResponse<String> r = server.get("/api/v1/apps", headers);
            assertThat(r.statusCode()).as(headers.toString()).isEqualTo(401);
        }
        HttpResponse<String> create = server.post("/api/v1/apps", "{\"name\":\"sneaky\"}",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + key));
        assertThat(create.statusCode()).isEqualTo(401);
    }

    @Test
    void keeps_only_a_hash_of_the_admin_token() throws Exception {
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token_hash FROM admin_tokens")) {
            assertThat(rs.next()).isTrue();
            byte[] stored = rs.getBytes(1);
            assertThat(stored).hasSize(32).isEqualTo(Secrets.sha256(server.adminToken()));
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(server.adminToken());
        }
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM admin_tokens t WHERE t::text LIKE '%"
                     + server.adminToken().substring(4, 20) + "%'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }
}
