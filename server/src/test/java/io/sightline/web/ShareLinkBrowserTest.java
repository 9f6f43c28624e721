package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.sightline.web.SignedIn.api;
import static io.sightline.web.SignedIn.assertClean;
import static io.sightline.web.SignedIn.bearer;
import static io.sightline.web.SignedIn.button;
import static io.sightline.web.SignedIn.confirm;
import static io.sightline.web.SignedIn.secret;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A share link made on the apps page, opened in a browser that never signed in: it shows the app's overview with
 * the stats API's numbers, reaches nothing else (no admin page, no admin API, no other app), and once revoked on
 * the admin page, the same address says the link no longer works.
 */
class ShareLinkBrowserTest {
    private static TestServer server;
    private static Browser browser;
    private static long otherApp;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        otherApp = api(server, "POST", "/api/v1/apps", "{\"name\":\"Private app\",\"time_zone\":\"UTC\"}", 201)
                .get("id").asLong();
        assertThat(server.ingest("/api/v1/analytics/batch", seed()).statusCode()).isEqualTo(200);
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
    void a_share_link_reads_its_apps_overview_reaches_nothing_else_and_stops_when_revoked() throws Exception {
        try (Browser.Tab admin = SignedIn.admin(browser, server)) {
            Page page = admin.go("/admin/apps?app=1").page();
            page.getByLabel("Label of a new share link").fill("Agency report");
            button(page, "Create share link").click();
            String url = secret(page, "share-links");
            assertThat(url).startsWith(SignedIn.base(server) + "/share/shr_");
            String token = url.substring(url.lastIndexOf('/') + 1);
            page.locator("[data-panel='share-links'] tbody tr").getByText("Agency report").waitFor();
            admin.screenshots("admin-share-links");

            try (Browser.Tab shared = browser.open(SignedIn.base(server))) {
                Page view = shared.go(url.substring(SignedIn.base(server).length())).page();
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                JsonNode summary = api(server, "GET", "/api/v1/apps/1/stats/summary?from=" + today.minusDays(29)
                        + "&to=" + today, null, 200);
                for (String metric : List.of("events", "visitors", "sessions", "conversions")) {
                    assertThat(view.locator("[data-panel='summary'] [data-metric='" + metric + "'] .card-value")
                            .getAttribute("data-value")).as(metric).isEqualTo(summary.at("/current/" + metric).asText());
                }
                assertThat(summary.at("/current/events").asLong()).isPositive();
                assertThat(view.locator(".chip").getByText("Read-only").isVisible()).isTrue();
                assertThat(view.getByText("Sign out").count()).isZero();
                assertThat(view.locator("nav").count()).isZero();
                shared.screenshots("share-view");
                assertClean(shared);

                // The share token itself reaches no admin route, no export, no other app.
                assertThat(bearer(server, "/api/v1/apps", token).statusCode()).isIn(401, 403);
                assertThat(bearer(server, "/api/v1/users", token).statusCode()).isIn(401, 403);
                assertThat(bearer(server, "/api/v1/apps/1/share-links", token).statusCode()).isIn(401, 403);
                assertThat(bearer(server, "/api/v1/apps/1/events/export", token).statusCode()).isIn(401, 403);
                assertThat(bearer(server, "/api/v1/apps/" + otherApp + "/stats/summary", token).statusCode()).isEqualTo(403);
                assertThat(bearer(server, "/api/v1/apps/1/stats/summary", token).statusCode()).isEqualTo(200);
                assertThat(fetchStatus(view, "/api/v1/apps")).isEqualTo(401);
                assertThat(fetchStatus(view, "/api/v1/apps/" + otherApp + "/stats/summary")).isEqualTo(401);

                // Its browser holds no session: an admin page sends it to the sign-in, with the reason.
                shared.go("/admin/apps");
                assertThat(view.url()).contains("/login?next=%2Fadmin%2Fapps");
                assertThat(view.locator(".notice").textContent()).contains("Sign in to see that page.");
                assertThat(view.locator("[data-panel='apps']").count()).isZero();
                assertClean(shared, "401");

                button(page, "Revoke the share link Agency report").click();
                confirm(page, "Revoke share link");
                page.locator("[data-panel='share-links'] .notice").getByText("is revoked").waitFor();
                assertThat(bearer(server, "/api/v1/apps/1/stats/summary", token).statusCode()).isEqualTo(401);

                shared.go(url.substring(SignedIn.base(server).length()));
                assertThat(view.locator("h1").textContent()).isEqualTo("This link no longer works");
                assertThat(view.locator("main").textContent()).contains("revoked");
                assertThat(view.locator("[data-panel]").count()).isZero();
                shared.screenshots("share-revoked");
                assertClean(shared, "401");
            }
            assertClean(admin);
        }
    }

    /** The status of a GET the page itself sends, with its own credentials (here: no cookie at all). */
    static int fetchStatus(Page page, String path) {
        return ((Number) page.evaluate("path => fetch(path, {credentials: 'same-origin'}).then(r => r.status)", path))
                .intValue();
    }

    private static String seed() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if (i > 0) {
                events.append(',');
            }
            String type = i % 3 == 2 ? "conversion" : "qr_scan";
            String properties = type.equals("conversion") ? "{\"cta_id\":\"buy\",\"value\":19.5,\"currency\":\"EUR\"}"
                    : "{\"qr_code_id\":\"poster-" + (i % 2) + "\"}";
            events.append("{\"type\":\"").append(type).append("\",\"visitor_id\":\"v-share-").append(i % 5)
                    .append("\",\"session_id\":\"s-share-").append(i % 7).append("\",\"occurred_at\":\"")
                    .append(now.minus(i % 4, ChronoUnit.DAYS).minus(30, ChronoUnit.MINUTES)).append("\",\"properties\":")
                    .append(properties).append('}');
        }
        return "{\"events\":[" + events + "]}";
    }
}
