package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.sightline.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The view in the URL: a filter from a click, a range, the funnel's steps and window, and URLs that are wrong. */
class OverviewFiltersBrowserTest {
    private static final String FUNNEL = "steps=qr_scan,placement,interaction,conversion&window=1h";
    private static final String DE = "country:eq:DE";
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
    void a_click_on_a_country_filters_every_panel_and_the_url_reproduces_the_view() throws Exception {
        LocalDate today = DashboardSite.today();
        String all = DashboardSite.range(today.minusDays(29), today);
        String germany = DashboardSite.range(today.minusDays(29), today, DE);
        String filteredUrl;
        try (Browser.Tab tab = site.signIn("/apps/1")) {
            Page page = tab.page();
            List<String> requests = DashboardSite.recordStatsRequests(page);
            page.locator("[data-panel='breakdown-country'] .bar-row[data-dim-value='DE']").click();
            page.waitForURL("**/apps/1?filter=country%3Aeq%3ADE");
            tab.waitReady();
            // Every panel asked again, each with the filter.
            List<String> asked = requests.stream().map(u -> URLDecoder.decode(u, StandardCharsets.UTF_8)).toList();
            for (String route : List.of("summary", "timeseries", "funnel", "realtime", "events", "breakdown?")) {
                assertThat(asked).as(route).anyMatch(u -> u.contains("/stats/" + route));
            }
            assertThat(asked).allMatch(u -> u.contains("filter=" + DE));
            assertFilteredView(page, germany);
            Locator chip = page.locator(".filters .chip");
            assertThat(chip.count()).isEqualTo(1);
            assertThat(chip.textContent()).startsWith("Country is Germany");
            tab.screenshots("overview-filtered");
            filteredUrl = page.url();
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();

            chip.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove filter: Country is Germany")).click();
            page.waitForURL("**/apps/1");
            tab.waitReady();
            assertThat(page.locator(".filters .chip").count()).isZero();
            OverviewNumbers.assertCards(page, site.stats(1, "summary", all));
            OverviewNumbers.assertBreakdown(page, "country", site.stats(1, "breakdown", all + "&by=country&limit=10"));
        }
        // The same address in a fresh browser (after the login it sends it to) shows the same filtered view.
        try (Browser.Tab other = site.signIn(filteredUrl.substring(site.base().length()))) {
            assertThat(other.page().url()).isEqualTo(filteredUrl);
            assertThat(other.page().locator(".filters .chip").textContent()).startsWith("Country is Germany");
            assertFilteredView(other.page(), germany);
            assertThat(DashboardSite.unexpectedConsoleErrors(other)).isEmpty();
        }
    }

    @Test
    void changing_the_range_changes_the_url_and_the_numbers() throws Exception {
        LocalDate today = DashboardSite.today();
        try (Browser.Tab tab = site.signIn("/apps/1?range=7d")) {
            Page page = tab.page();
            OverviewNumbers.assertCards(page, site.stats(1, "summary", DashboardSite.range(today.minusDays(6), today)));

            label(page, "Range").selectOption("30d");
            page.waitForURL("**/apps/1");
            tab.waitReady();
            String month = DashboardSite.range(today.minusDays(29), today);
            OverviewNumbers.assertCards(page, site.stats(1, "summary", month));
            OverviewNumbers.assertChart(page, site.stats(1, "timeseries", month + "&interval=day"));
            assertThat(page.locator("[data-panel='timeseries'] .chart-table tbody tr").count()).isEqualTo(30);

            label(page, "Range").selectOption("custom");
            LocalDate from = today.minusDays(10);
            LocalDate to = today.minusDays(4);
            label(page, "From").fill(from.toString());
            label(page, "To").fill(to.toString());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
            page.waitForURL("**/apps/1?range=custom&from=" + from + "&to=" + to);
            tab.waitReady();
            String custom = DashboardSite.range(from, to);
            JsonNode summary = site.stats(1, "summary", custom);
            assertThat(summary.at("/current/events").asLong()).isPositive();
            OverviewNumbers.assertCards(page, summary);
            OverviewNumbers.assertChart(page, site.stats(1, "timeseries", custom + "&interval=day"));
            OverviewNumbers.assertFunnel(page, site.stats(1, "funnel", custom + "&" + FUNNEL));
            OverviewNumbers.assertBreakdown(page, "country", site.stats(1, "breakdown", custom + "&by=country&limit=10"));
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    @Test
    void editing_the_funnel_changes_the_url_and_the_numbers() throws Exception {
        LocalDate today = DashboardSite.today();
        try (Browser.Tab tab = site.signIn("/apps/1")) {
            Page page = tab.page();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit funnel")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove step 3")).click();
            label(page, "Step 3").fill("conversion");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("+ Add step")).click();
            label(page, "Step 4").fill("screenshot");
            label(page, "Each step within").selectOption("15m");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
            page.waitForURL("**/apps/1?steps=qr_scan%2Cplacement%2Cconversion%2Cscreenshot&window=15m");
            tab.waitReady();
            OverviewNumbers.assertFunnel(page, site.stats(1, "funnel", DashboardSite.range(today.minusDays(29), today)
                    + "&steps=qr_scan,placement,conversion,screenshot&window=15m"));
            assertThat(page.locator(".funnel-note").textContent())
                    .isEqualTo("QR scan → Placement → Conversion → Screenshot · each step within 15m of the first");
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    @Test
    void a_filter_on_a_value_not_set_is_a_view_of_its_own() throws Exception {
        LocalDate today = DashboardSite.today();
        try (Browser.Tab tab = site.signIn("/apps/1?filter=country:eq:")) {
            Page page = tab.page();
            assertThat(page.locator(".filters .chip").textContent()).startsWith("Country is (not set)");
            OverviewNumbers.assertCards(page, site.stats(1, "summary",
                    DashboardSite.range(today.minusDays(29), today, "country:eq:")));
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    @Test
    void a_url_that_describes_no_view_is_explained_on_the_page_without_a_server_error() {
        try (Browser.Tab tab = site.signIn("/apps/1")) {
            Page page = tab.page();
            List<String> responses = DashboardSite.recordResponses(page);
            assertExplained(tab, "?range=bogus", "bogus");
            assertExplained(tab, "?filter=nonsense", "nonsense");
            assertExplained(tab, "?filter=planet:eq:Mars", "planet");
            assertExplained(tab, "?filter=country:like:DE", "like");
            assertExplained(tab, "?range=custom&from=2026-02-30&to=2026-03-01", "YYYY-MM-DD");
            assertExplained(tab, "?range=custom&from=2020-01-01&to=2026-01-01", "1,096 days");
            assertExplained(tab, "?steps=qr_scan,teleport", "teleport");
            assertExplained(tab, "?window=forever", "forever");
            assertExplained(tab, "?colour=blue", "colour");
            tab.screenshots("overview-error");
            assertThat(responses).isNotEmpty().noneMatch(r -> r.startsWith("5"));
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    private static void assertExplained(Browser.Tab tab, String search, String named) {
        Page page = tab.page();
        page.navigate("/apps/1" + search);
        tab.waitReady();
        Locator notice = page.locator(".notices .notice-error");
        assertThat(notice.textContent()).as(search).contains("This link does not describe a view", named);
        assertThat(notice.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Show the default view"))
                .isVisible()).isTrue();
        assertThat(page.locator("h1").textContent()).as("the page around it").isEqualTo("default");
        assertThat(label(page, "Range").isVisible()).isTrue();
    }

    private static Locator label(Page page, String text) {
        return page.getByLabel(text, new Page.GetByLabelOptions().setExact(true));
    }

    private static void assertFilteredView(Page page, String query) throws Exception {
        OverviewNumbers.assertCards(page, site.stats(1, "summary", query));
        OverviewNumbers.assertChart(page, site.stats(1, "timeseries", query + "&interval=day"));
        OverviewNumbers.assertFunnel(page, site.stats(1, "funnel", query + "&" + FUNNEL));
        for (String dim : List.of("country", "os", "qr_code_id", "utm_source")) {
            OverviewNumbers.assertBreakdown(page, dim, site.stats(1, "breakdown", query + "&by=" + dim + "&limit=10"));
        }
        JsonNode realtime = site.stats(1, "realtime", query.substring(query.indexOf("filter=")));
        assertThat(realtime.get("windows")).isNotEmpty();
    }
}
