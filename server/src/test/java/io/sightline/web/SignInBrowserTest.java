package io.sightline.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.sightline.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in, a wrong password, signing out and the password link, in the real page against the real server. */
class SignInBrowserTest {
    private static DashboardSite site;

    @BeforeAll
    static void start() throws Exception {
        site = DashboardSite.start();
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void the_login_page_has_labelled_fields_and_logs_no_errors() {
        try (Browser.Tab tab = site.browser.open(site.base())) {
            Page page = tab.go("/login").page();
            assertThat(page.getByLabel("Email").isVisible()).isTrue();
            assertThat(page.getByLabel("Password").isVisible()).isTrue();
            assertThat(signInButton(page).isEnabled()).isTrue();
            assertThat(page.title()).isEqualTo("Sign in · Sightline");
            tab.screenshots("login");
            assertThat(tab.consoleErrors()).isEmpty();
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    @Test
    void a_wrong_password_is_said_clearly_and_leaves_no_session() {
        try (Browser.Tab tab = site.browser.open(site.base())) {
            Page page = tab.go("/login").page();
            page.getByLabel("Email").fill(DashboardSite.EMAIL);
            page.getByLabel("Password").fill("not the password at all");
            signInButton(page).click();
            assertThat(page.getByRole(AriaRole.ALERT).textContent()).isEqualTo("Wrong email or password.");
            assertThat(page.url()).endsWith("/login");
            assertThat(page.getByLabel("Password").inputValue()).isEmpty();
            assertThat(DashboardSite.sessionCookie(tab)).isNull();
            tab.screenshots("login-wrong-password");
            // The browser reports the refused POST /api/v1/session itself; nothing else may be logged.
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    @Test
    void signing_in_opens_the_page_asked_for_and_signing_out_ends_the_session() {
        try (Browser.Tab tab = site.signIn("/apps/1?range=7d")) {
            Page page = tab.page();
            assertThat(page.url()).endsWith("/apps/1?range=7d");
            assertThat(page.locator(".user-email").textContent()).isEqualTo(DashboardSite.EMAIL);
            String cookie = DashboardSite.sessionCookie(tab);
            assertThat(cookie).isNotBlank();
            assertThat(get("/api/v1/session", cookie)).isEqualTo(200);

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
            page.waitForURL("**/login");
            assertThat(signInButton(page).isVisible()).isTrue();
            assertThat(DashboardSite.sessionCookie(tab)).isNull();
            assertThat(get("/api/v1/session", cookie)).isEqualTo(401);
            assertThat(get("/api/v1/apps/1/stats/summary", cookie)).isEqualTo(401);

            // Back to the overview without a session: the login again, asking to sign in for that page.
            page.navigate("/apps/1");
            page.waitForURL("**/login?next=%2Fapps%2F1");
            assertThat(page.locator(".notice").textContent()).isEqualTo("Sign in to see that page.");
            // Two signed-out loads (before signing in, and now), each told so by one 401 of GET /api/v1/session.
            assertThat(DashboardSite.unexpectedConsoleErrors(tab, 2)).isEmpty();
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    @Test
    void a_password_link_asks_for_the_password_twice_and_takes_its_token_out_of_the_address_bar() {
        try (Browser.Tab tab = site.browser.open(site.base())) {
            Page page = tab.go("/setup#a-one-time-token").page();
            assertThat(page.url()).endsWith("/setup");
            page.getByLabel("New password").fill("correct horse battery");
            page.getByLabel("Repeat it").fill("correct horse battery staple");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set password and sign in")).click();
            assertThat(page.getByRole(AriaRole.ALERT).textContent()).contains("The two passwords differ");
            tab.screenshots("setup");
            assertThat(tab.consoleErrors()).isEmpty();
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    @Test
    void a_used_password_link_is_refused_with_a_way_forward() {
        String used = site.server.sightline().created().passwordLink().orElseThrow();
        try (Browser.Tab tab = site.browser.open(site.base())) {
            Page page = tab.go(used).page();
            page.getByLabel("New password").fill(DashboardSite.PASSWORD);
            page.getByLabel("Repeat it").fill(DashboardSite.PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set password and sign in")).click();
            assertThat(page.getByRole(AriaRole.ALERT).textContent())
                    .isEqualTo("This link has been used or has expired. Ask an admin for a new one.");
            assertThat(DashboardSite.sessionCookie(tab)).isNull();
            // The browser's own report of the refused link is the one error logged.
            assertThat(tab.consoleErrors()).hasSize(1).allMatch(e -> e.contains("400") && e.contains("/api/v1/session/password"));
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    @Test
    void a_password_link_without_its_token_says_it_is_incomplete() {
        try (Browser.Tab tab = site.browser.open(site.base())) {
            Page page = tab.go("/setup").page();
            assertThat(page.getByRole(AriaRole.ALERT).textContent()).contains("This link is incomplete");
            assertThat(tab.consoleErrors()).isEmpty();
        }
    }

    private static com.microsoft.playwright.Locator signInButton(Page page) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true));
    }

    private static int get(String path, String cookie) {
        return site.server.get(path, Map.of("Cookie", "sightline_session=" + cookie)).statusCode();
    }
}
