package io.sightline.web;

import com.microsoft.playwright.Page;
import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;
import io.sightline.web.CustomerSite.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web tracker in headless Chromium, on a customer's page of another origin, against the real server: clicks on
 * {@code data-sightline-event}, the JS API, {@code <model-viewer>}'s AR events, what is sent as the page is left,
 * and nothing at all under Do Not Track or Global Privacy Control. The server derives each visitor and session.
 * Views have their own test ({@link WebTrackerViewsBrowserTest}).
 */
class WebTrackerBrowserTest {
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

    private static Browser.Tab tab() {
        return browser.open(site.url("/"));
    }

    @Test
    void a_click_on_a_data_sightline_event_element_sends_that_type_or_custom_name_with_its_properties() throws Exception {
        CustomerSite.App app = site.app("clicks");
        try (Browser.Tab tab = tab()) {
            Page page = tab.page();
            page.navigate(site.url("/clicks/product"));
            page.click("#buy");
            page.click("#share-label"); // inside the tracked element
            page.click("#shot"); // its own handler stops the click's propagation
            page.click("#plain");
            page.evaluate("() => window.sightline.track('clicks_done')");

            List<Row> rows = site.awaitCustom(app.id(), "clicks_done");
            Row conversion = only(rows, "conversion");
            assertThat(conversion.property("cta_id")).isEqualTo("buy-now");
            assertThat(conversion.properties().get("value").isNumber()).as("data-sightline-value is a number").isTrue();
            assertThat(conversion.properties().get("value").asDouble()).isEqualTo(349.5);
            assertThat(conversion.property("currency")).isEqualTo("EUR");
            Row shared = only(rows, "custom", "shared_link");
            assertThat(shared.property("channel")).isEqualTo("mail");
            assertThat(only(rows, "screenshot").property("object_id")).isEqualTo("armchair-oak");
            assertThat(rows).extracting(Row::type).filteredOn(t -> !t.equals("screen_view"))
                    .containsExactlyInAnyOrder("conversion", "custom", "screenshot", "custom");

            // No id from the page: the server derived one visitor and one session from address, browser and salt.
            for (Row row : rows) {
                assertThat(row.visitorId()).isNotNull().isEqualTo(rows.get(0).visitorId());
                assertThat(row.sessionId()).isNotNull().isEqualTo(rows.get(0).sessionId());
                assertThat(row.derived()).contains("visitor_id", "session_id");
                assertThat(row.bot()).isFalse();
                assertThat(row.locale()).isEqualTo("en-US");
            }
            assertNoErrors(tab);
            assertThat(page.context().cookies()).as("the tracker sets no cookie").isEmpty();
            assertThat(page.evaluate("() => localStorage.length + sessionStorage.length")).isEqualTo(0);
        }
    }

    @Test
    void the_js_api_sends_the_five_types_as_themselves_and_any_other_name_as_a_custom_event() throws Exception {
        CustomerSite.App app = site.app("api");
        try (Browser.Tab tab = tab()) {
            Page page = tab.page();
            page.navigate(site.url("/api/start"));
            page.evaluate("() => {"
                    + " sightline.track('qr_scan', {qr_code_id: 'poster-7', campaign: 'spring'});"
                    + " sightline.track('conversion', {cta_id: 'checkout', value: 12.5, currency: 'EUR'});"
                    + " sightline.track('color_changed', {object_id: 'armchair-oak', color: 'walnut'});"
                    + " sightline.track('api_done'); }");

            List<Row> rows = site.awaitCustom(app.id(), "api_done");
            assertThat(only(rows, "qr_scan").property("qr_code_id")).isEqualTo("poster-7");
            assertThat(only(rows, "conversion").properties().get("value").asDouble()).isEqualTo(12.5);
            assertThat(only(rows, "custom", "color_changed").property("color")).isEqualTo("walnut");
            assertNoErrors(tab);
        }
    }

    @Test
    void model_viewer_ar_status_becomes_placement_and_user_camera_changes_a_throttled_interaction() throws Exception {
        CustomerSite.App app = site.app("ar");
        try (Browser.Tab tab = tab()) {
            Page page = tab.page();
            page.navigate(site.url("/ar/armchair"));
            // As <model-viewer> dispatches them: not bubbling, on the element itself.
            page.evaluate("async () => {"
                    + " const mv = document.getElementById('armchair-oak');"
                    + " const fire = (type, detail) => mv.dispatchEvent(new CustomEvent(type, {detail}));"
                    + " fire('ar-status', {status: 'session-started'});"
                    + " await new Promise(r => setTimeout(r, 30));"
                    + " fire('ar-status', {status: 'object-placed'});"
                    + " fire('ar-status', {status: 'not-presenting'});"
                    + " fire('camera-change', {source: 'automatic'});"
                    + " for (let i = 0; i < 10; i++) fire('camera-change', {source: 'user-interaction'});"
                    + " mv.radius = 1.25;"
                    + " for (let i = 0; i < 10; i++) fire('camera-change', {source: 'user-interaction'});"
                    + " sightline.track('ar_done'); }");

            List<Row> rows = site.awaitCustom(app.id(), "ar_done");
            List<Row> placements = all(rows, "placement");
            assertThat(placements).extracting(r -> r.property("ar_status"))
                    .containsExactlyInAnyOrder("session-started", "object-placed");
            for (Row placement : placements) {
                assertThat(placement.property("object_id")).isEqualTo("armchair-oak");
                assertThat(placement.property("surface")).isEqualTo("horizontal");
            }
            Row placed = placements.stream().filter(r -> r.property("ar_status").equals("object-placed")).findFirst()
                    .orElseThrow();
            assertThat(placed.properties().get("duration_ms").asInt()).isGreaterThanOrEqualTo(25);

            // Twenty camera changes by the user within a second: one rotation, then one zoom; none for 'automatic'.
            assertThat(all(rows, "interaction")).extracting(r -> r.property("kind"))
                    .containsExactlyInAnyOrder("rotate", "scale");
            assertThat(all(rows, "interaction")).extracting(r -> r.property("object_id")).containsOnly("armchair-oak");
            assertNoErrors(tab);
        }
    }

    @Test
    void events_of_a_page_being_left_arrive_by_send_beacon() throws Exception {
        CustomerSite.App app = site.app("leave");
        try (Browser.Tab tab = tab()) {
            Page page = tab.page();
            // Counts the page's beacons where the next page of the site can read them.
            page.addInitScript("(() => { const send = navigator.sendBeacon.bind(navigator);"
                    + " navigator.sendBeacon = (url, data) => {"
                    + "   localStorage.setItem('beacons', (localStorage.getItem('beacons') || '') + String(data) + '\\n');"
                    + "   return send(url, data); }; })()");
            page.navigate(site.url("/leave/first"));
            page.navigate(site.url("/leave/second")); // the first page's pagehide tracks left_page

            List<Row> rows = site.awaitRows(app.id(), r -> r.stream().anyMatch(row -> "left_page".equals(row.name())));
            Row left = rows.stream().filter(row -> "left_page".equals(row.name())).findFirst().orElseThrow();
            assertThat(left.property("from")).isEqualTo("/leave/first");
            String beacons = (String) page.evaluate("() => localStorage.getItem('beacons')");
            assertThat(beacons).as("sent by navigator.sendBeacon").contains("left_page").contains("\"write_key\"");
            assertNoErrors(tab);
        }
    }

    @Test
    void sends_nothing_when_the_browser_says_do_not_track_or_global_privacy_control() throws Exception {
        Map<String, String> signals = Map.of(
                "dnt", "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'});",
                "gpc", "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});",
                "allowed", "");
        Map<String, CustomerSite.App> apps = new HashMap<>();
        Map<String, Object> sent = new HashMap<>();
        for (Map.Entry<String, String> run : signals.entrySet()) {
            String prefix = run.getKey();
            apps.put(prefix, site.app(prefix));
            try (Browser.Tab tab = tab()) {
                Page page = tab.page();
                // Counts every request the page makes by fetch or sendBeacon, where the site's next page reads it.
                page.addInitScript(run.getValue() + "(() => {"
                        + " const count = () => localStorage.setItem('sent', +(localStorage.getItem('sent') || 0) + 1);"
                        + " const beacon = navigator.sendBeacon.bind(navigator), fetch = window.fetch;"
                        + " navigator.sendBeacon = (url, data) => { count(); return beacon(url, data); };"
                        + " window.fetch = (url, options) => { count(); return fetch(url, options); }; })()");
                page.navigate(site.url("/" + prefix + "/start"));
                page.click("#buy");
                page.evaluate("() => { sightline.track('qr_scan', {qr_code_id: 'poster-7'});"
                        + " history.pushState({}, '', 'next');"
                        + " document.getElementById('armchair-oak').dispatchEvent("
                        + "   new CustomEvent('ar-status', {detail: {status: 'object-placed'}}));"
                        + " sightline.track('privacy_done'); }");
                page.navigate(site.url("/" + prefix + "/after")); // pagehide: nothing queued may go either
                page.waitForTimeout(1500); // the second page's own timer
                sent.put(prefix, page.evaluate("() => localStorage.getItem('sent')"));
                assertNoErrors(tab);
            }
        }
        // The same page without the signals is tracked: the silence below is the signals' doing.
        site.awaitCustom(apps.get("allowed").id(), "privacy_done");
        assertThat(sent.get("allowed")).isNotNull();
        assertThat(sent.get("dnt")).as("requests sent under DNT").isNull();
        assertThat(sent.get("gpc")).as("requests sent under GPC").isNull();
        assertThat(site.rows(apps.get("dnt").id())).isEmpty();
        assertThat(site.rows(apps.get("gpc").id())).isEmpty();
    }

    static void assertNoErrors(Browser.Tab tab) {
        assertThat(tab.consoleErrors()).as("console errors").isEmpty();
        assertThat(tab.pageErrors()).as("page errors").isEmpty();
    }

    static Row only(List<Row> rows, String type) {
        List<Row> found = all(rows, type);
        assertThat(found).as(type + " events in " + rows).hasSize(1);
        return found.get(0);
    }

    static Row only(List<Row> rows, String type, String name) {
        List<Row> found = all(rows, type).stream().filter(r -> name.equals(r.name())).toList();
        assertThat(found).as(type + " " + name + " events in " + rows).hasSize(1);
        return found.get(0);
    }

    static List<Row> all(List<Row> rows, String type) {
        return rows.stream().filter(r -> r.type().equals(type)).toList();
    }
}
