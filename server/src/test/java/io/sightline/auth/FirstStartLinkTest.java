package io.sightline.auth;

import io.sightline.testing.ServerProcess;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real server process prints the first admin's dashboard link with the port it listens on, and logging at
 * DEBUG it never writes a password, a session cookie or a CSRF token.
 */
class FirstStartLinkTest {
    private static final Pattern DASHBOARD = Pattern.compile("dashboard:\\s+(http://localhost:(\\d+)(/setup#\\S+))");

    @Test
    void prints_the_dashboard_link_and_logs_no_secret_of_a_sign_in(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of(
                "SIGHTLINE_DATABASE_URL", TestDatabase.createDatabase(),
                "SIGHTLINE_DATABASE_USER", "postgres",
                "SIGHTLINE_DATABASE_PASSWORD", TestDatabase.server().password(),
                "SIGHTLINE_DEVICE_DETECTION", "false");
        Path log = dir.resolve("server.log");
        String password = "correct horse battery staple";
        String wrong = "incorrect horse battery staple";
        String cookie;
        String csrf;
        try (ServerProcess server = new ServerProcess(env, log,
                List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug")).start()) {
            Matcher printed = DASHBOARD.matcher(server.output());
            assertThat(printed.find()).as(server.output()).isTrue();
            assertThat(Integer.parseInt(printed.group(2))).isEqualTo(server.port());
            String token = printed.group(3).substring("/setup#".length());

            HttpResponse<String> set = post(server, "/api/v1/session/password",
                    "{\"token\":\"" + token + "\",\"password\":\"" + password + "\"}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(post(server, "/api/v1/session", "{\"email\":\"admin@localhost\",\"password\":\"" + wrong + "\"}")
                    .statusCode()).isEqualTo(401);
            HttpResponse<String> login = post(server, "/api/v1/session",
                    "{\"email\":\"admin@localhost\",\"password\":\"" + password + "\"}");
            Dashboard.Session session = Dashboard.signedIn(login);
            cookie = session.cookie();
            csrf = session.csrf();
            server.terminate(Duration.ofSeconds(30));
        }
        String output = java.nio.file.Files.readString(log);
        assertThat(output).contains("DEBUG").contains("Stopped");
        assertThat(output).doesNotContain(password).doesNotContain(wrong).doesNotContain(cookie).doesNotContain(csrf);
    }

    private static HttpResponse<String> post(ServerProcess server, String path, String json) {
        return TestServer.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
