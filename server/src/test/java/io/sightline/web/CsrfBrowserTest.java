package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import com.sun.net.httpserver.HttpServer;
import io.sightline.http.Authorizer;
import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.sightline.web.SignedIn.api;
import static io.sightline.web.SignedIn.assertClean;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed-in browser's cookie does not let anyone else change anything: a request of the page's own origin
 * without the session's CSRF token, or with a wrong one, and a form that another site's page submits to
 * Sightline are all refused, and nothing is created. And signing out ends the session on the server.
 */
class CsrfBrowserTest {
    private static TestServer server;
    private static Browser browser;
    /** Another origin on this machine, serving a page that posts a form to Sightline as soon as it loads. */
    private static HttpServer attacker;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        browser = Browser.launch();
        SignedIn.setFirstPassword(browser, server);
        attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attacker.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(1);
            // text/plain lets a form send a JSON-looking body: {"name":"<name>","x":"="}
            String html = "<!doctype html><html><body><form id=\"f\" method=\"POST\" enctype=\"text/plain\" action=\""
                    + SignedIn.base(server) + "/api/v1/apps\"><input type=\"hidden\" name='{\"name\":\"" + name
                    + "\",\"x\":\"' value='\"}'></form><script>document.getElementById('f').submit();</script>"
                    + "</body></html>";
            byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        attacker.start();
    }

    @AfterAll
    static void stop() {
        if (attacker != null) {
            attacker.stop(0);
        }
        if (browser != null) {
            browser.close();
        }
        server.close();
    }

    @Test
    void a_state_change_without_the_sessions_csrf_token_is_refused_and_creates_nothing() throws Exception {
        try (Browser.Tab tab = SignedIn.admin(browser, server)) {
            Page page = tab.page();
            JsonNode missing = post(page, "no-token-app", null);
            assertThat(missing.get("status").asInt()).isEqualTo(403);
            assertThat(missing.at("/body/error/code").asText()).isEqualTo("csrf_failed");
            assertThat(missing.at("/body/error/field").asText()).isEqualTo("X-CSRF-Token");

            JsonNode wrong = post(page, "wrong-token-app", "0123456789abcdef0123456789abcdef");
            assertThat(wrong.get("status").asInt()).isEqualTo(403);
            assertThat(wrong.at("/body/error/code").asText()).isEqualTo("csrf_failed");

            // The same request with the session's own token goes through: the refusals above are the token's.
            String csrf = ((String) page.evaluate("() => fetch('/api/v1/session').then(r => r.json())"
                    + ".then(s => s.csrf_token)"));
            assertThat(post(page, "with-token-app", csrf).get("status").asInt()).isEqualTo(201);

            assertThat(appNames()).contains("with-token-app").doesNotContain("no-token-app", "wrong-token-app");
            assertClean(tab, "403");
        }
    }

    @Test
    void a_form_another_site_posts_to_sightline_is_refused_and_creates_nothing() throws Exception {
        int port = attacker.getAddress().getPort();
        try (Browser.Tab tab = SignedIn.admin(browser, server)) {
            Page page = tab.page();
            // Another site (localhost is not 127.0.0.1): SameSite=Strict keeps the cookie home, so no session.
            Response crossSite = submitted(page, "http://localhost:" + port + "/cross-site-app");
            assertThat(crossSite.status()).isEqualTo(401);

            // The same site on another port gets the cookie sent, but its Origin is not Sightline's.
            Response crossOrigin = submitted(page, "http://127.0.0.1:" + port + "/cross-origin-app");
            assertThat(crossOrigin.status()).isEqualTo(403);
            JsonNode error = SignedIn.JSON.readTree(crossOrigin.text()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("csrf_failed");
            assertThat(error.get("field").asText()).isEqualTo("Origin");

            assertThat(appNames()).doesNotContain("cross-site-app", "cross-origin-app");
            // The session itself is untouched by the attempts.
            tab.go("/admin/apps");
            assertThat(page.locator("[data-panel='apps']").getAttribute("data-state")).isEqualTo("ready");
        }
    }

    @Test
    void signing_out_ends_the_session_so_its_cookie_replayed_is_refused() throws Exception {
        try (Browser.Tab tab = SignedIn.admin(browser, server)) {
            Page page = tab.page();
            String cookie = sessionCookie(page);
            Map<String, String> replay = Map.of("Cookie", Authorizer.SESSION_COOKIE + "=" + cookie);
            assertThat(SignedIn.send(server, "GET", "/api/v1/session", null, replay).statusCode()).isEqualTo(200);

            page.getByText("Sign out").click();
            page.waitForURL(Pattern.compile(".*/login$"));
            assertThat(page.context().cookies().stream().filter(c -> c.name.equals(Authorizer.SESSION_COOKIE)))
                    .isEmpty();
            assertThat(SignedIn.send(server, "GET", "/api/v1/session", null, replay).statusCode()).isEqualTo(401);
            assertThat(SignedIn.send(server, "GET", "/api/v1/apps", null, replay).statusCode()).isEqualTo(401);

            tab.go("/admin/apps");
            assertThat(page.url()).contains("/login");
            assertClean(tab, "401");
        }
    }

    /** POSTs a new app from the page with fetch, with the given X-CSRF-Token (or none); {status, body}. */
    private static JsonNode post(Page page, String name, String csrf) throws Exception {
        Object answer = page.evaluate("([name, csrf]) => {"
                + " const headers = {'Content-Type': 'application/json'};"
                + " if (csrf) headers['X-CSRF-Token'] = csrf;"
                + " return fetch('/api/v1/apps', {method: 'POST', credentials: 'same-origin', headers,"
                + "   body: JSON.stringify({name, time_zone: 'UTC'})})"
                + "   .then(async r => JSON.stringify({status: r.status, body: await r.json()}));"
                + "}", new ArrayList<>(java.util.Arrays.asList(name, csrf)));
        return SignedIn.JSON.readTree((String) answer);
    }

    /** Opens the attacker's page, which submits its form at once; the answer Sightline gave to the form. */
    private static Response submitted(Page page, String attackerPage) {
        return page.waitForResponse(r -> r.url().startsWith(SignedIn.base(server) + "/api/v1/apps"),
                () -> page.navigate(attackerPage));
    }

    private static String sessionCookie(Page page) {
        for (Cookie c : page.context().cookies()) {
            if (c.name.equals(Authorizer.SESSION_COOKIE)) {
                return c.value;
            }
        }
        throw new AssertionError("no session cookie in " + page.context().cookies());
    }

    private static List<String> appNames() throws Exception {
        List<String> names = new ArrayList<>();
        api(server, "GET", "/api/v1/apps", null, 200).get("apps").forEach(a -> names.add(a.get("name").asText()));
        return names;
    }
}
