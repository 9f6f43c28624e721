package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A browser of the dashboard, as far as the API sees one: a session cookie, and the CSRF token beside it. */
final class Dashboard {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A signed-in browser: the cookie's value and the session's CSRF token. */
    record Session(String cookie, String csrf, String setCookie) {}

    private Dashboard() {
    }

    static HttpResponse<String> send(TestServer server, String method, String path, String json,
                                     Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return TestServer.send(b.build());
    }

    /** A request with the session's cookie and, unless {@code csrf} is false, its CSRF token. */
    static HttpResponse<String> as(TestServer server, Session session, String method, String path, String json,
                                   boolean csrf) {
        return send(server, method, path, json, csrf
                ? Map.of("Cookie", io.sightline.http.Authorizer.SESSION_COOKIE + "=" + session.cookie(), "X-CSRF-Token", session.csrf())
                : Map.of("Cookie", io.sightline.http.Authorizer.SESSION_COOKIE + "=" + session.cookie()));
    }

    static HttpResponse<String> login(TestServer server, String email, String password) {
        return send(server, "POST", "/api/v1/session", "{\"email\":" + quote(email) + ",\"password\":" + quote(password)
                + "}", Map.of());
    }

    static Session signedIn(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        return new Session(value, JSON.readTree(answer.body()).get("csrf_token").asText(), setCookie);
    }

    /** Uses a one-time link ({@code /setup#<token>}) to set the password. */
    static HttpResponse<String> setPassword(TestServer server, String link, String password) {
        String token = link.substring(link.indexOf('#') + 1);
        return send(server, "POST", "/api/v1/session/password", "{\"token\":" + quote(token) + ",\"password\":"
                + quote(password) + "}", Map.of());
    }

    /** A new user made with the admin token, who has set a password and is signed in. */
    static Session newUser(TestServer server, String email, String role, String appIdsJson, String password)
            throws Exception {
        HttpResponse<String> created = server.admin("POST", "/api/v1/users", "{\"email\":" + quote(email)
                + ",\"role\":" + quote(role) + (appIdsJson == null ? "" : ",\"app_ids\":" + appIdsJson) + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return signedIn(setPassword(server, JSON.readTree(created.body()).get("password_link").asText(), password));
    }

    static JsonNode body(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body());
    }

    static String errorCode(HttpResponse<String> answer) throws Exception {
        return body(answer).path("error").path("code").asText();
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
