package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static io.sightline.auth.Dashboard.as;
import static io.sightline.auth.Dashboard.body;
import static io.sightline.auth.Dashboard.errorCode;
import static io.sightline.auth.Dashboard.newUser;
import static org.assertj.core.api.Assertions.assertThat;

class UserApiTest {
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
    void a_viewer_reads_its_apps_stats_and_nothing_else() throws Exception {
        Dashboard.Session viewer = newUser(server, "viewer@example.com", "viewer", "[1]", "the viewer's password");
        assertThat(as(server, viewer, "GET", "/api/v1/apps/1/stats/summary", null, false).statusCode()).isEqualTo(200);

        HttpResponse<String> other = as(server, viewer, "GET", "/api/v1/apps/" + otherApp + "/stats/summary", null, false);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(errorCode(other)).isEqualTo("forbidden");
        for (String path : new String[] {"/api/v1/apps", "/api/v1/users", "/api/v1/apps/1/api-tokens",
                "/api/v1/apps/1/share-links", "/api/v1/apps/1/privacy/requests"}) {
            assertThat(as(server, viewer, "GET", path, null, false).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(as(server, viewer, "POST", "/api/v1/users", "{\"email\":\"x@example.com\",\"role\":\"admin\"}", true)
                .statusCode()).isEqualTo(403);
        JsonNode me = body(as(server, viewer, "GET", "/api/v1/session", null, false));
        assertThat(me.get("apps").findValues("id")).extracting(JsonNode::asLong).containsExactly(1L);
    }

    @Test
    void an_admin_session_administers_and_its_actions_are_recorded_as_the_users() throws Exception {
        Dashboard.Session admin = newUser(server, "boss@example.com", "admin", null, "the boss's password");
        long userId = body(as(server, admin, "GET", "/api/v1/session", null, false)).at("/user/id").asLong();
        HttpResponse<String> token = as(server, admin, "POST", "/api/v1/apps/1/api-tokens", "{\"label\":\"ci\"}", true);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
        assertThat(as(server, admin, "POST", "/api/v1/apps/1/privacy/delete", "{\"user_id\":\"u-1\"}", true)
                .statusCode()).isEqualTo(200);
        try (Connection c = server.db(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT created_by, created_by_kind FROM api_tokens WHERE label = 'ci'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(userId);
                assertThat(rs.getString(2)).isEqualTo("user");
            }
        }
        JsonNode requests = body(server.admin("GET", "/api/v1/apps/1/privacy/requests", null)).get("requests");
        assertThat(requests.get(0).get("actor").asLong()).isEqualTo(userId);
        assertThat(requests.get(0).get("actor_kind").asText()).isEqualTo("user");
        assertThat(as(server, admin, "GET", "/api/v1/apps/" + otherApp + "/stats/summary", null, false).statusCode())
                .isEqualTo(200);
    }

    @Test
    void creates_lists_changes_and_deletes_users() throws Exception {
        HttpResponse<String> created = server.admin("POST", "/api/v1/users",
                "{\"email\":\" Hal@Example.com\",\"role\":\"viewer\",\"app_ids\":[1]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode user = body(created).get("user");
        assertThat(user.get("email").asText()).isEqualTo("hal@example.com");
        assertThat(user.get("has_password").asBoolean()).isFalse();
        assertThat(body(created).get("password_link").asText()).startsWith("/setup#");
        long id = user.get("id").asLong();

        HttpResponse<String> duplicate = server.admin("POST", "/api/v1/users", "{\"email\":\"hal@example.com\",\"role\":\"admin\"}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(errorCode(duplicate)).isEqualTo("conflict");
        assertThat(server.admin("POST", "/api/v1/users", "{\"email\":\"nope\",\"role\":\"viewer\"}").statusCode()).isEqualTo(400);
        assertThat(server.admin("POST", "/api/v1/users", "{\"email\":\"r@example.com\",\"role\":\"root\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> unknownApp = server.admin("POST", "/api/v1/users",
                "{\"email\":\"u@example.com\",\"role\":\"viewer\",\"app_ids\":[99999]}");
        assertThat(unknownApp.statusCode()).isEqualTo(400);
        assertThat(body(unknownApp).at("/error/field").asText()).isEqualTo("app_ids");

        HttpResponse<String> changed = server.admin("PATCH", "/api/v1/users/" + id, "{\"app_ids\":[1," + otherApp + "]}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(body(changed).get("app_ids").findValuesAsText("")).isEmpty();
        assertThat(body(changed).get("app_ids")).extracting(JsonNode::asLong).containsExactly(1L, otherApp);
        JsonNode listed = body(server.admin("GET", "/api/v1/users", null)).get("users");
        assertThat(listed.findValuesAsText("email")).contains("admin@localhost", "hal@example.com");

        assertThat(server.admin("DELETE", "/api/v1/users/" + id, null).statusCode()).isEqualTo(204);
        assertThat(server.admin("DELETE", "/api/v1/users/" + id, null).statusCode()).isEqualTo(404);
        assertThat(server.admin("PATCH", "/api/v1/users/" + id, "{\"role\":\"admin\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void a_password_reset_ends_the_users_sessions_and_gives_a_new_link() throws Exception {
        Dashboard.Session ivy = newUser(server, "ivy@example.com", "viewer", "[1]", "ivy's long password");
        long id = body(as(server, ivy, "GET", "/api/v1/session", null, false)).at("/user/id").asLong();
        HttpResponse<String> reset = server.admin("POST", "/api/v1/users/" + id + "/password-link", null);
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(as(server, ivy, "GET", "/api/v1/session", null, false).statusCode()).isEqualTo(401);
        assertThat(Dashboard.login(server, "ivy@example.com", "ivy's long password").statusCode()).isEqualTo(401);
        Dashboard.signedIn(Dashboard.setPassword(server, body(reset).get("password_link").asText(), "ivy's new password"));
    }

    @Test
    void deleting_a_user_ends_its_sessions() throws Exception {
        Dashboard.Session jo = newUser(server, "jo@example.com", "viewer", "[1]", "jo's long password");
        long id = body(as(server, jo, "GET", "/api/v1/session", null, false)).at("/user/id").asLong();
        assertThat(server.admin("DELETE", "/api/v1/users/" + id, null).statusCode()).isEqualTo(204);
        assertThat(as(server, jo, "GET", "/api/v1/apps/1/stats/summary", null, false).statusCode()).isEqualTo(401);
    }

    @Test
    void the_last_admin_user_can_be_neither_deleted_nor_demoted() throws Exception {
        try (TestServer alone = TestServer.start()) {
            JsonNode first = body(alone.admin("GET", "/api/v1/users", null)).get("users").get(0);
            long id = first.get("id").asLong();
            HttpResponse<String> demote = alone.admin("PATCH", "/api/v1/users/" + id, "{\"role\":\"viewer\"}");
            assertThat(demote.statusCode()).isEqualTo(409);
            assertThat(errorCode(demote)).isEqualTo("last_admin");
            HttpResponse<String> delete = alone.admin("DELETE", "/api/v1/users/" + id, null);
            assertThat(delete.statusCode()).isEqualTo(409);
            assertThat(errorCode(delete)).isEqualTo("last_admin");

            long second = body(alone.admin("POST", "/api/v1/users", "{\"email\":\"two@example.com\",\"role\":\"admin\"}"))
                    .at("/user/id").asLong();
            assertThat(alone.admin("PATCH", "/api/v1/users/" + id, "{\"role\":\"viewer\"}").statusCode()).isEqualTo(200);
            assertThat(errorCode(alone.admin("DELETE", "/api/v1/users/" + second, null))).isEqualTo("last_admin");
        }
    }
}
