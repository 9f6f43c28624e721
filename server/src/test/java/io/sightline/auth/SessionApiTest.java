package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.MutableClock;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.sightline.auth.Dashboard.as;
import static io.sightline.auth.Dashboard.body;
import static io.sightline.auth.Dashboard.errorCode;
import static io.sightline.auth.Dashboard.login;
import static io.sightline.auth.Dashboard.newUser;
import static io.sightline.auth.Dashboard.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

class SessionApiTest {
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
    void the_first_start_link_sets_the_first_admins_password_once_and_signs_in() throws Exception {
        String link = server.sightline().created().passwordLink().orElseThrow();
        assertThat(link).startsWith("/setup#");

        HttpResponse<String> tooShort = Dashboard.setPassword(server, link, "short");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(body(tooShort).at("/error/field").asText()).isEqualTo("password");

        HttpResponse<String> set = Dashboard.setPassword(server, link, "first admin's password");
        Dashboard.Session session = signedIn(set);
        assertThat(body(set).at("/user/email").asText()).isEqualTo("admin@localhost");
        assertThat(body(set).at("/user/role").asText()).isEqualTo("admin");
        assertThat(as(server, session, "GET", "/api/v1/users", null, false).statusCode()).isEqualTo(200);

        HttpResponse<String> again = Dashboard.setPassword(server, link, "someone else's password");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(errorCode(again)).isEqualTo("invalid_link");
        assertThat(body(again).at("/error/field").asText()).isEqualTo("token");
        assertThat(login(server, "admin@localhost", "someone else's password").statusCode()).isEqualTo(401);
    }

    @Test
    void signs_in_with_a_trimmed_lower_cased_email_and_sets_a_strict_http_only_cookie() throws Exception {
        newUser(server, "ana@example.com", "viewer", "[1]", "ana's long password");
        HttpResponse<String> answer = login(server, "  Ana@Example.COM ", "ana's long password");
        Dashboard.Session session = signedIn(answer);
        assertThat(body(answer).at("/user/email").asText()).isEqualTo("ana@example.com");
        assertThat(session.csrf()).isNotBlank();
        assertThat(session.setCookie()).startsWith("sightline_session=").contains("; Path=/").contains("; HttpOnly")
                .contains("; SameSite=Strict").contains("; Max-Age=43200").doesNotContain("Secure");

        JsonNode me = body(as(server, session, "GET", "/api/v1/session", null, false));
        assertThat(me.get("kind").asText()).isEqualTo("user");
        assertThat(me.at("/user/role").asText()).isEqualTo("viewer");
        assertThat(me.get("csrf_token").asText()).isEqualTo(session.csrf());
        assertThat(me.get("apps").findValuesAsText("name")).containsExactly("default");
    }

    @Test
    void a_wrong_password_and_an_unknown_email_get_the_same_answer() throws Exception {
        newUser(server, "bo@example.com", "viewer", null, "bo's long password");
        HttpResponse<String> wrong = login(server, "bo@example.com", "not bo's password");
        HttpResponse<String> unknown = login(server, "nobody@example.com", "not bo's password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(errorCode(wrong)).isEqualTo("invalid_credentials");
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void logout_deletes_the_session_so_the_same_cookie_is_refused_after() throws Exception {
        Dashboard.Session session = newUser(server, "cy@example.com", "admin", null, "cy's long password");
        assertThat(as(server, session, "GET", "/api/v1/session", null, false).statusCode()).isEqualTo(200);

        HttpResponse<String> withoutCsrf = as(server, session, "DELETE", "/api/v1/session", null, false);
        assertThat(withoutCsrf.statusCode()).isEqualTo(403);
        HttpResponse<String> out = as(server, session, "DELETE", "/api/v1/session", null, true);
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("sightline_session=;")
                .contains("Max-Age=0");

        HttpResponse<String> after = as(server, session, "GET", "/api/v1/session", null, false);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(errorCode(after)).isEqualTo("not_signed_in");
        assertThat(as(server, session, "GET", "/api/v1/apps", null, false).statusCode()).isEqualTo(401);
    }

    @Test
    void without_credentials_nobody_is_signed_in() throws Exception {
        HttpResponse<String> anonymous = server.get("/api/v1/session", Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(errorCode(anonymous)).isEqualTo("not_signed_in");
        HttpResponse<String> adminToken = server.admin("GET", "/api/v1/session", null);
        assertThat(adminToken.statusCode()).isEqualTo(401);
    }

    @Test
    void a_cookie_that_changes_something_needs_the_sessions_csrf_token_and_no_foreign_origin() throws Exception {
        Dashboard.Session session = newUser(server, "dee@example.com", "admin", null, "dee's long password");
        long appsBefore = count("apps");
        String body = "{\"name\":\"csrf target\"}";

        HttpResponse<String> none = as(server, session, "POST", "/api/v1/apps", body, false);
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(errorCode(none)).isEqualTo("csrf_failed");
        assertThat(body(none).at("/error/field").asText()).isEqualTo("X-CSRF-Token");

        HttpResponse<String> wrong = Dashboard.send(server, "POST", "/api/v1/apps", body, Map.of(
                "Cookie", "sightline_session=" + session.cookie(), "X-CSRF-Token", session.csrf() + "x"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(errorCode(wrong)).isEqualTo("csrf_failed");

        HttpResponse<String> foreign = Dashboard.send(server, "POST", "/api/v1/apps", body, Map.of(
                "Cookie", "sightline_session=" + session.cookie(), "X-CSRF-Token", session.csrf(),
                "Origin", "https://evil.example"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(body(foreign).at("/error/field").asText()).isEqualTo("Origin");
        assertThat(count("apps")).as("nothing was created").isEqualTo(appsBefore);

        HttpResponse<String> ours = Dashboard.send(server, "POST", "/api/v1/apps", body, Map.of(
                "Cookie", "sightline_session=" + session.cookie(), "X-CSRF-Token", session.csrf(),
                "Origin", "http://127.0.0.1:" + server.sightline().port()));
        assertThat(ours.statusCode()).as(ours.body()).isEqualTo(201);
        assertThat(count("apps")).isEqualTo(appsBefore + 1);
    }

    @Test
    void a_bearer_token_is_judged_alone_whatever_cookie_comes_with_it() throws Exception {
        Dashboard.Session viewer = newUser(server, "eve@example.com", "viewer", null, "eve's long password");
        HttpResponse<String> withAdminToken = Dashboard.send(server, "POST", "/api/v1/apps", "{\"name\":\"by token\"}",
                Map.of("Cookie", "sightline_session=" + viewer.cookie(), "Authorization", "Bearer " + server.adminToken()));
        assertThat(withAdminToken.statusCode()).as("no CSRF token needed with a bearer token").isEqualTo(201);
    }

    @Test
    void after_five_wrong_passwords_even_the_right_one_waits_with_retry_after() throws Exception {
        newUser(server, "fay@example.com", "viewer", null, "fay's long password");
        for (int i = 0; i < 5; i++) {
            assertThat(login(server, "fay@example.com", "guess number " + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = login(server, "fay@example.com", "fay's long password");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(errorCode(limited)).isEqualTo("too_many_attempts");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 15L * 60);
        assertThat(login(server, "someone.else@example.com", "a guess of theirs").statusCode())
                .as("another email is not held up").isEqualTo(401);
    }

    @Test
    void passwords_are_stored_as_argon2id_hashes_and_sessions_as_digests() throws Exception {
        Dashboard.Session session = newUser(server, "gil@example.com", "viewer", null, "gil's long password");
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT password_hash FROM users WHERE email = 'gil@example.com'")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("$argon2id$v=19$m=19456,t=2,p=1$")
                    .doesNotContain("gil's long password");
        }
        try (Connection c = server.db(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM dashboard_sessions WHERE token_hash = sha256(convert_to(?, 'UTF8'))")) {
            ps.setString(1, session.cookie());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("the session is found by the digest of the cookie").isEqualTo(1);
            }
        }
    }

    @Test
    void a_session_slides_with_use_and_ends_after_the_ttl_without_use() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer timed = TestServer.start(Map.of("SIGHTLINE_SESSION_TTL", "1h"), clock)) {
            Dashboard.Session session = signedIn(Dashboard.setPassword(timed,
                    timed.sightline().created().passwordLink().orElseThrow(), "the timed admin's password"));
            assertThat(session.setCookie()).contains("Max-Age=3600");
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofMinutes(50));
                assertThat(as(timed, session, "GET", "/api/v1/session", null, false).statusCode())
                        .as("used within the hour, %d", i).isEqualTo(200);
            }
            clock.advance(Duration.ofMinutes(61));
            assertThat(as(timed, session, "GET", "/api/v1/session", null, false).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void the_cookie_is_secure_when_the_public_url_is_https() throws Exception {
        try (TestServer behindTls = TestServer.start(Map.of("SIGHTLINE_PUBLIC_URL", "https://stats.example.com"),
                Clock.systemUTC())) {
            Dashboard.Session session = signedIn(Dashboard.setPassword(behindTls,
                    behindTls.sightline().created().passwordLink().orElseThrow(), "the tls admin's password"));
            assertThat(session.setCookie()).contains("; Secure");
            HttpResponse<String> fromPublicOrigin = Dashboard.send(behindTls, "DELETE", "/api/v1/session", null, Map.of(
                    "Cookie", "sightline_session=" + session.cookie(), "X-CSRF-Token", session.csrf(),
                    "Origin", "https://stats.example.com"));
            assertThat(fromPublicOrigin.statusCode()).isEqualTo(204);
            assertThat(fromPublicOrigin.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
        }
    }

    private static long count(String table) throws Exception {
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
