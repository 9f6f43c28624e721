package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.sightline.auth.Bootstrap;
import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the admin browser tests share: the first admin signed in through the page itself (its password set
 * through the printed {@code /setup#token} link, then the login form), API calls to compare the page with, and the
 * check that a tab logged no error but the refusals a test provokes on purpose.
 */
final class SignedIn {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = Bootstrap.FIRST_USER;
    static final String PASSWORD = "correct horse battery staple";

    private SignedIn() {
    }

    /** Sets the first admin's password through the link the server printed, as its operator would. */
    static void setFirstPassword(Browser browser, TestServer server) {
        String link = server.sightline().created().passwordLink().orElseThrow();
        try (Browser.Tab tab = browser.open(base(server))) {
            setPassword(tab, link, PASSWORD);
        }
    }

    /** Opens a password link ({@code /setup#…}) in tab and sets the password; the page signs in and opens "/". */
    static void setPassword(Browser.Tab tab, String link, String password) {
        Page page = tab.go(link.substring(link.indexOf("/setup#"))).page();
        page.getByLabel("New password").fill(password);
        page.getByLabel("Repeat it").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set password and sign in")).click();
        page.waitForURL(Pattern.compile(".*/apps/\\d+.*|.*/$"));
        tab.waitReady();
    }

    /** A fresh tab with the first admin signed in through the login form, on the first app's overview. */
    static Browser.Tab admin(Browser browser, TestServer server) {
        return signIn(browser, server, ADMIN, PASSWORD);
    }

    static Browser.Tab signIn(Browser browser, TestServer server, String email, String password) {
        Browser.Tab tab = browser.open(base(server));
        Page page = tab.go("/login").page();
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(Pattern.compile(".*/apps/\\d+.*"));
        tab.waitReady();
        return tab;
    }

    /** A button by its accessible name (an aria-label where the text alone would be ambiguous). */
    static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    /** The open confirmation dialog. */
    static Locator dialog(Page page) {
        return page.locator("dialog[open]");
    }

    /** Clicks the dialog's button named confirm and waits for the dialog to close. */
    static void confirm(Page page, String confirm) {
        Locator dialog = dialog(page);
        dialog.waitFor();
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(confirm).setExact(true)).click();
        page.locator("dialog").waitFor(new Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
    }

    /** The secret a panel shows once, after it appeared. */
    static String secret(Page page, String panel) {
        Locator input = page.locator("[data-panel='" + panel + "'] .admin-secret input");
        input.waitFor();
        return input.inputValue();
    }

    /**
     * No uncaught exception, and no console error except the browser's report of the answers given as expected
     * (e.g. "409" for a refusal the test provoked).
     */
    static void assertClean(Browser.Tab tab, String... expectedStatuses) {
        assertThat(tab.pageErrors()).isEmpty();
        List<String> unexpected = tab.consoleErrors().stream().filter(e -> List.of(expectedStatuses).stream()
                .noneMatch(s -> e.startsWith("Failed to load resource: the server responded with a status of " + s)))
                .toList();
        assertThat(unexpected).isEmpty();
    }

    /**
     * Screenshots of what the window shows, at 1440 × 900 and 390 × 844, for a modal dialog: a full-page picture
     * draws its backdrop over the first screen only.
     */
    static void windowShots(Page page, String name) {
        for (int[] size : new int[][] {{Browser.WIDE, Browser.WIDE_HEIGHT}, {Browser.PHONE, Browser.PHONE_HEIGHT}}) {
            page.setViewportSize(size[0], size[1]);
            page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target", "screenshots",
                    name + "-" + size[0] + ".png")));
        }
        page.setViewportSize(Browser.WIDE, Browser.WIDE_HEIGHT);
    }

    /** An admin API call with the admin token; the status must be as given. */
    static JsonNode api(TestServer server, String method, String path, String json, int status) throws Exception {
        HttpResponse<String> answer = server.admin(method, path, json);
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(status);
        return answer.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(answer.body());
    }

    /** A request with only the given headers (a bearer, a cookie, or none). */
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

    static HttpResponse<String> bearer(TestServer server, String path, String token) {
        return send(server, "GET", path, null, Map.of("Authorization", "Bearer " + token));
    }

    /** One event sent with the given write key; returns the status. */
    static int track(TestServer server, String writeKey, String json) {
        return server.post("/api/v1/analytics/track", json, Map.of("Content-Type", "application/json",
                "X-Write-Key", writeKey)).statusCode();
    }

    static String base(TestServer server) {
        return server.uri("").toString();
    }
}
