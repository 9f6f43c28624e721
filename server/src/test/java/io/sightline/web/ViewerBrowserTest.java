package io.sightline.web;

import com.microsoft.playwright.Page;
import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.sightline.web.SignedIn.api;
import static io.sightline.web.SignedIn.assertClean;
import static io.sightline.web.SignedIn.button;
import static io.sightline.web.SignedIn.secret;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A viewer made on the users page, who sets a password through its link in a browser of its own: it sees only
 * the app it was given, and another app's page or an admin page says it has no access, as the API does (403).
 */
class ViewerBrowserTest {
    private static TestServer server;
    private static Browser browser;
    private static long otherApp;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        otherApp = api(server, "POST", "/api/v1/apps", "{\"name\":\"Private app\",\"time_zone\":\"UTC\"}", 201)
                .get("id").asLong();
        browser = Browser.launch();
        SignedIn.setFirstPassword(browser, server);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        server.close();
    }

    @Test
    void a_viewer_sees_only_its_app_and_is_refused_another_app_and_the_admin_pages() throws Exception {
        String link;
        try (Browser.Tab admin = SignedIn.admin(browser, server)) {
            Page page = admin.go("/admin/users").page();
            page.getByLabel("Email").fill("marketing@example.org");
            page.getByLabel("default").check();
            button(page, "Add user").click();
            link = secret(page, "user-create");
            assertClean(admin);
        }

        try (Browser.Tab viewer = browser.open(SignedIn.base(server))) {
            SignedIn.setPassword(viewer, link, "a viewer's own long password");
            Page page = viewer.page();
            assertThat(page.url()).endsWith("/apps/1");
            assertThat(page.locator("#app-select option").allTextContents()).isEqualTo(List.of("default"));
            assertThat(page.locator("nav.nav a").allTextContents()).isEqualTo(List.of("Overview"));
            assertThat(page.locator(".user-email").textContent()).isEqualTo("marketing@example.org");
            assertThat(page.locator("[data-panel='summary']").getAttribute("data-state")).isIn("ready", "empty");
            viewer.screenshots("viewer-overview");
            assertClean(viewer);

            viewer.go("/apps/" + otherApp);
            assertThat(page.locator("h1").textContent()).isEqualTo("App not available");
            assertThat(page.locator("[data-panel]").count()).isZero();
            assertThat(status(page, "/api/v1/apps/" + otherApp + "/stats/summary")).isEqualTo(403);
            assertThat(status(page, "/api/v1/apps/1/stats/summary")).isEqualTo(200);
            viewer.screenshots("viewer-other-app");

            viewer.go("/admin/users");
            assertThat(page.locator("h1").textContent()).isEqualTo("No access");
            assertThat(page.locator("[role='alert']").textContent()).contains("Only admins can open the admin pages.");
            assertThat(page.locator("[data-panel='users']").count()).isZero();
            assertThat(page.locator("nav.nav a").allTextContents()).isEqualTo(List.of("Overview"));
            assertThat(status(page, "/api/v1/users")).isEqualTo(403);
            assertThat(status(page, "/api/v1/apps")).isEqualTo(403);
            viewer.screenshots("viewer-admin-refused");
            assertClean(viewer, "403");
        }
    }

    private static int status(Page page, String path) {
        return ShareLinkBrowserTest.fetchStatus(page, path);
    }
}
