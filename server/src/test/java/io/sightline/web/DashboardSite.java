package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test class's dashboard: the real server over a fresh database (its backfill window stretched to two weeks so
 * the previous period has data, and no scheduled rollup, so a page and the test read the same raw rows), the seeded
 * events, a second app with none, headless Chromium, and the first admin's password set through the real
 * {@code /setup#token} page. Tabs sign in through {@code /login} as a person would.
 */
final class DashboardSite implements AutoCloseable {
    static final String EMAIL = "admin@localhost";
    static final String PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();

    final TestServer server;
    final Browser browser;
    final long emptyApp;

    private DashboardSite(TestServer server, Browser browser, long emptyApp) {
        this.server = server;
        this.browser = browser;
        this.emptyApp = emptyApp;
    }

    static DashboardSite start() throws Exception {
        TestServer server = TestServer.start(Map.of("SIGHTLINE_BACKFILL_WINDOW", "20d", "SIGHTLINE_JOBS", "false"),
                Clock.systemUTC());
        Browser browser = null;
        try {
            OverviewSeed.send(server, Instant.now().truncatedTo(ChronoUnit.SECONDS));
            HttpResponse<String> app = server.admin("POST", "/api/v1/apps", "{\"name\":\"Empty shop\"}");
            assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
            browser = Browser.launch();
            DashboardSite site = new DashboardSite(server, browser, JSON.readTree(app.body()).get("id").asLong());
            site.setFirstPassword(server.sightline().created().passwordLink().orElseThrow());
            return site;
        } catch (Exception | AssertionError e) {
            if (browser != null) {
                browser.close();
            }
            server.close();
            throw e;
        }
    }

    /** The first admin's one-time link, used in the browser: the page sets the password and signs in. */
    private void setFirstPassword(String link) {
        try (Browser.Tab tab = browser.open(base())) {
            Page page = tab.page();
            page.navigate(link);
            page.getByLabel("New password").fill(PASSWORD);
            page.getByLabel("Repeat it").fill(PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set password and sign in")).click();
            page.waitForURL("**/apps/1");
            tab.waitReady();
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    /**
     * A new browser context opening {@code path}: signed out, the page sends it to the login, which (after the
     * email and password are typed and sent) comes back to {@code path}. Waits until every panel has answered.
     */
    Browser.Tab signIn(String path) {
        return signIn(path, "en-US");
    }

    /** As {@link #signIn(String)}, in a browser speaking {@code locale}. */
    Browser.Tab signIn(String path, String locale) {
        Browser.Tab tab = browser.open(base(), locale);
        Page page = tab.page();
        page.navigate(path);
        page.waitForURL("**/login**");
        page.getByLabel("Email").fill(EMAIL);
        page.getByLabel("Password").fill(PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(url -> !url.contains("/login"));
        page.waitForSelector("[data-panel]");
        tab.waitReady();
        return tab;
    }

    /** The browser context's session cookie, as sent back to the server. */
    static String sessionCookie(Browser.Tab tab) {
        return tab.page().context().cookies().stream().filter(c -> c.name.equals("sightline_session"))
                .map(c -> c.value).findFirst().orElse(null);
    }

    /** The stats API's own answer, asked with the admin token: {@code stats(1, "summary", "from=…&to=…")}. */
    JsonNode stats(long app, String route, String query) throws Exception {
        HttpResponse<String> answer = server.get("/api/v1/apps/" + app + "/stats/" + route + "?" + query,
                Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(answer.statusCode()).as(route + "?" + query + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    String base() {
        return server.uri("").toString();
    }

    /** The API query of an overview range: {@code from} and {@code to} in the app's zone (UTC), plus filters. */
    static String range(LocalDate from, LocalDate to, String... filters) {
        StringBuilder q = new StringBuilder("from=" + from + "&to=" + to);
        for (String f : filters) {
            q.append("&filter=").append(URLEncoder.encode(f, StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /**
     * The console errors of a tab, less the one a signed-out page may log: the browser's own report of
     * {@code GET /api/v1/session} answered 401 (how the page learns it must show the login).
     */
    static List<String> unexpectedConsoleErrors(Browser.Tab tab) {
        return unexpectedConsoleErrors(tab, 1);
    }

    /** As above, for a tab that loaded {@code signedOutPages} signed-out pages, each allowed its one 401. */
    static List<String> unexpectedConsoleErrors(Browser.Tab tab, int signedOutPages) {
        List<String> left = new ArrayList<>();
        int allowed = signedOutPages;
        for (String error : tab.consoleErrors()) {
            if (allowed > 0 && error.contains("status of 401") && error.contains("/api/v1/session:")) {
                allowed--;
            } else {
                left.add(error);
            }
        }
        return left;
    }

    /** Records the status of every answer the page gets, from now on. */
    static List<String> recordResponses(Page page) {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        page.onResponse(r -> seen.add(r.status() + " " + r.url()));
        return seen;
    }

    /** Records every stats request the page sends, from now on. */
    static List<String> recordStatsRequests(Page page) {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        page.onRequest(r -> {
            if (r.url().contains("/stats/")) {
                seen.add(r.url());
            }
        });
        return seen;
    }

    @Override
    public void close() {
        browser.close();
        server.close();
    }
}
