package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.sightline.auth.Dashboard.body;
import static io.sightline.auth.Dashboard.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

class ShareLinkApiTest {
    private static TestServer server;
    private static long otherApp;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        otherApp = body(server.admin("POST", "/api/v1/apps", "{\"name\":\"other\"}")).get("id").asLong();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_share_token_reads_its_apps_stats_and_nothing_more() throws Exception {
        String token = create("for the agency").get("token").asText();
        assertThat(token).startsWith("shr_");

        assertThat(get(token, "/api/v1/apps/1/stats/summary").statusCode()).isEqualTo(200);
        assertThat(get(token, "/api/v1/apps/1/stats/timeseries").statusCode()).isEqualTo(200);
        assertThat(get(token, "/api/v1/apps/" + otherApp + "/stats/summary").statusCode()).isEqualTo(403);
        assertThat(get(token, "/api/v1/apps/1/events/export?from=2026-01-01&to=2026-01-02").statusCode()).isEqualTo(403);
        for (String admin : new String[] {"/api/v1/apps", "/api/v1/users", "/api/v1/apps/1/share-links",
                "/api/v1/apps/1/api-tokens"}) {
            assertThat(get(token, admin).statusCode()).as(admin).isIn(401, 403);
        }
        HttpResponse<String> post = Dashboard.send(server, "POST", "/api/v1/apps/1/share-links", "{\"label\":\"more\"}",
                Map.of("Authorization", "Bearer " + token));
        assertThat(post.statusCode()).isIn(401, 403);
        HttpResponse<String> logout = Dashboard.send(server, "DELETE", "/api/v1/session", null,
                Map.of("Authorization", "Bearer " + token));
        assertThat(logout.statusCode()).isEqualTo(403);

        JsonNode me = body(get(token, "/api/v1/session"));
        assertThat(me.get("kind").asText()).isEqualTo("share");
        assertThat(me.get("user").isNull()).isTrue();
        assertThat(me.get("csrf_token").isNull()).isTrue();
        assertThat(me.get("apps").findValues("id")).extracting(JsonNode::asLong).containsExactly(1L);
        assertThat(me.at("/apps/0/time_zone").asText()).isEqualTo("UTC");
    }

    @Test
    void a_revoked_share_link_stops_working_at_once() throws Exception {
        JsonNode created = create("to revoke");
        String token = created.get("token").asText();
        assertThat(created.get("path").asText()).isEqualTo("/share/" + token);
        assertThat(get(token, "/api/v1/apps/1/stats/summary").statusCode()).isEqualTo(200);

        assertThat(server.admin("DELETE", "/api/v1/apps/1/share-links/" + created.get("id").asLong(), null).statusCode())
                .isEqualTo(204);
        HttpResponse<String> after = get(token, "/api/v1/apps/1/stats/summary");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(errorCode(after)).isEqualTo("invalid_token");
        assertThat(get(token, "/api/v1/session").statusCode()).isEqualTo(401);

        JsonNode listed = body(server.admin("GET", "/api/v1/apps/1/share-links", null)).get("share_links");
        JsonNode revoked = null;
        for (JsonNode link : listed) {
            if (link.get("id").asLong() == created.get("id").asLong()) {
                revoked = link;
            }
        }
        assertThat(revoked).isNotNull();
        assertThat(revoked.get("label").asText()).isEqualTo("to revoke");
        assertThat(revoked.get("revoked_at").isNull()).isFalse();
        assertThat(revoked.has("token")).isFalse();
        assertThat(server.admin("DELETE", "/api/v1/apps/" + otherApp + "/share-links/" + created.get("id").asLong(),
                null).statusCode()).as("another app's link").isEqualTo(404);
    }

    private static JsonNode create(String label) throws Exception {
        HttpResponse<String> created = server.admin("POST", "/api/v1/apps/1/share-links", "{\"label\":\"" + label + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return body(created);
    }

    private static HttpResponse<String> get(String token, String path) {
        return server.get(path, Map.of("Authorization", "Bearer " + token));
    }
}
