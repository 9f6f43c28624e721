package io.sightline.web;

import com.microsoft.playwright.Page;
import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;
import io.sightline.web.CustomerSite.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.sightline.web.WebTrackerBrowserTest.all;
import static io.sightline.web.WebTrackerBrowserTest.assertNoErrors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The tracker's views ({@code screen_view}) in headless Chromium on a page of another origin: the landing page,
 * each single-page navigation ({@code pushState}, the back button's {@code popstate}) once, a {@code replaceState}
 * or a #hash that keeps the address not at all, and the explicit {@code sightline.view()}.
 */
class WebTrackerViewsBrowserTest {
    private static TrackerRig rig;
    private static TestServer server;
    private static Browser browser;
    private static CustomerSite site;

    @BeforeAll
    static void start() throws Exception {
        rig = TrackerRig.start();
        server = rig.server();
        browser = rig.browser();
        site = rig.site();
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void views_the_landing_page_and_each_single_page_navigation_once() throws Exception {
        CustomerSite.App app = site.app("spa");
        try (Browser.Tab tab = browser.open(site.url("/"))) {
            Page page = tab.page();
            String landing = site.url("/spa/start?utm_source=newsletter");
            page.navigate(landing);
            page.evaluate("() => {"
                    + " history.pushState({}, '', '/spa/chairs');"
                    + " history.replaceState({step: 2}, '', '/spa/chairs');" // same address: no view
                    + " history.pushState({}, '', '/spa/chairs#reviews');" // only the hash: no view
                    + " document.title = 'Oak armchair, in AR';"
                    + " history.pushState({}, '', '/spa/chairs/oak'); }");
            page.goBack(); // popstate to /spa/chairs#reviews: a view of /spa/chairs
            page.goBack(); // to /spa/chairs: only the hash differs, no view
            page.goBack(); // popstate to the landing page: a view
            page.waitForURL(landing);
            page.evaluate("() => { sightline.view({name: 'Landing again'}); sightline.track('views_done'); }");

            List<Row> rows = site.awaitCustom(app.id(), "views_done");
            List<Row> views = all(rows, "screen_view");
            assertThat(views).extracting(r -> r.property("path"), r -> r.property("referrer"), r -> r.property("name"))
                    .containsExactlyInAnyOrder(
                            tuple("/spa/start", null, null),
                            tuple("/spa/chairs", landing, null),
                            tuple("/spa/chairs/oak", site.url("/spa/chairs"), null),
                            tuple("/spa/chairs", site.url("/spa/chairs/oak"), null),
                            tuple("/spa/start", site.url("/spa/chairs"), null),
                            tuple("/spa/start", landing, "Landing again"));
            Row first = views.stream().filter(r -> r.property("referrer") == null).findFirst().orElseThrow();
            assertThat(first.property("url")).isEqualTo(landing);
            assertThat(first.property("title")).isEqualTo("Oak armchair");
            assertThat(views).extracting(r -> r.property("title")).contains("Oak armchair, in AR");
            for (Row view : views) {
                assertThat(view.visitorId()).isEqualTo(first.visitorId());
                assertThat(view.sessionId()).isEqualTo(first.sessionId());
            }
            assertNoErrors(tab);
        }
    }
}
