package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.sightline.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The overview of a seeded app: every panel's numbers are the stats API's answer for the same view. */
class OverviewBrowserTest {
    private static final String FUNNEL = "steps=qr_scan,placement,interaction,conversion&window=1h";
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
    void cards_chart_funnel_and_latest_events_show_the_apis_numbers() throws Exception {
        try (Browser.Tab tab = site.signIn("/apps/1?range=7d&compare=1")) {
            Page page = tab.page();
            String range = DashboardSite.range(DashboardSite.today().minusDays(6), DashboardSite.today());
            JsonNode summary = site.stats(1, "summary", range);
            assertThat(summary.at("/current/events").asLong()).as("seeded enough to group digits").isGreaterThan(1000);
            assertThat(summary.at("/current/conversion_value").size()).as("two currencies").isEqualTo(2);
            assertThat(summary.at("/change/visitors").isNumber()).as("a previous period to compare with").isTrue();
            OverviewNumbers.assertCards(page, summary);
            // With compare on, each counted card says what the previous period had.
            for (String metric : List.of("events", "visitors", "sessions", "conversions")) {
                assertThat(page.locator("[data-metric='" + metric + "'] .card-foot .muted").textContent())
                        .isEqualTo("was " + String.format(java.util.Locale.US, "%,d", summary.at("/previous/" + metric).asLong()));
            }
            OverviewNumbers.assertChart(page, site.stats(1, "timeseries", range + "&interval=day"));
            OverviewNumbers.assertFunnel(page, site.stats(1, "funnel", range + "&" + FUNNEL));

            JsonNode latest = site.stats(1, "events", range + "&limit=20");
            List<String> answered = new ArrayList<>();
            latest.get("events").forEach(e -> answered.add(e.get("event_id").asText()));
            List<String> shown = page.locator("[data-panel='events'] details.event").all().stream()
                    .map(e -> e.getAttribute("data-event-id")).toList();
            assertThat(shown).isEqualTo(answered);
            tab.screenshots("overview");
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    @Test
    void every_breakdown_tab_lists_the_apis_top_values() throws Exception {
        try (Browser.Tab tab = site.signIn("/apps/1")) {
            Page page = tab.page();
            String range = DashboardSite.range(DashboardSite.today().minusDays(29), DashboardSite.today());
            List<Locator> tabs = page.locator("section.breakdown [role='tab']").all();
            assertThat(tabs).hasSizeGreaterThanOrEqualTo(14);
            for (Locator button : tabs) {
                String dim = button.getAttribute("data-dim");
                button.click();
                page.waitForSelector("[data-panel='breakdown-" + dim + "']:not([data-state='loading'])");
                assertThat(button.getAttribute("aria-selected")).isEqualTo("true");
                OverviewNumbers.assertBreakdown(page, dim, site.stats(1, "breakdown", range + "&by=" + dim + "&limit=10"));
            }
            // The seed reaches every group: no tab of these dimensions is empty.
            for (String dim : List.of("country", "city", "os", "device_model", "browser", "app_version", "qr_code_id",
                    "campaign", "object_id", "interaction_kind", "cta_id", "utm_source", "utm_medium", "utm_campaign")) {
                assertThat(site.stats(1, "breakdown", range + "&by=" + dim).get("values").size()).as(dim).isGreaterThan(1);
            }
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    @Test
    void the_realtime_panel_shows_an_event_sent_while_the_page_is_open() throws Exception {
        try (Browser.Tab tab = site.signIn("/apps/1")) {
            Page page = tab.page();
            Locator visitors = page.locator("[data-panel='realtime'] .big-number");
            assertThat(visitors.getAttribute("data-value")).isEqualTo(window30(site.stats(1, "realtime", ""), "visitors"));
            page.evaluate("() => { window.sameDocument = true; }");

            assertThat(site.server.ingest("/api/v1/analytics/track", OverviewSeed.liveEvent("live-1")).statusCode())
                    .isEqualTo(200);
            JsonNode now = site.stats(1, "realtime", "");
            assertThat(window30(now, "visitors")).isEqualTo("1");
            // The panel asks again every 10 s; within that (and a margin) it shows the new visitor, without a reload.
            PlaywrightAssertions.assertThat(visitors).hasAttribute("data-value", window30(now, "visitors"),
                    new LocatorAssertions.HasAttributeOptions().setTimeout(15_000));
            assertThat(page.locator("[data-panel='realtime'] .stat-list dd .num").first().getAttribute("data-value"))
                    .isEqualTo(window30(now, "events"));
            assertThat(page.evaluate("() => window.sameDocument === true")).isEqualTo(true);
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    @Test
    void an_app_without_events_says_so_in_every_panel() throws Exception {
        try (Browser.Tab tab = site.signIn("/apps/" + site.emptyApp)) {
            Page page = tab.page();
            assertThat(page.locator("h1").textContent()).isEqualTo("Empty shop");
            JsonNode summary = site.stats(site.emptyApp, "summary",
                    DashboardSite.range(DashboardSite.today().minusDays(29), DashboardSite.today()));
            OverviewNumbers.assertCards(page, summary);
            for (String panel : List.of("timeseries", "funnel", "events", "breakdown-country", "breakdown-os",
                    "breakdown-qr_code_id", "breakdown-utm_source")) {
                Locator p = page.locator("[data-panel='" + panel + "']");
                assertThat(p.getAttribute("data-state")).as(panel).isEqualTo("empty");
                assertThat(p.locator(".empty").textContent()).as(panel).isNotBlank();
            }
            assertThat(page.locator("[data-panel='realtime'] .big-number").getAttribute("data-value")).isEqualTo("0");
            tab.screenshots("overview-empty");
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    @Test
    void numbers_are_written_in_the_browsers_locale() throws Exception {
        try (Browser.Tab tab = site.signIn("/apps/1?range=7d", "de-DE")) {
            Page page = tab.page();
            Locator events = page.locator("[data-metric='events'] .card-value");
            long value = Long.parseLong(events.getAttribute("data-value"));
            assertThat(value).isGreaterThanOrEqualTo(1000);
            assertThat(events.textContent()).isEqualTo(String.format(java.util.Locale.GERMANY, "%,d", value));
            assertThat(events.textContent()).isEqualTo(page.evaluate("v => new Intl.NumberFormat('de-DE').format(v)", (int) value));
            Locator rate = page.locator("[data-metric='conversion_rate'] .card-value");
            assertThat(rate.textContent()).isEqualTo(page.evaluate(
                    "v => new Intl.NumberFormat('de-DE', {style: 'percent', maximumFractionDigits: 1}).format(v)",
                    Double.parseDouble(rate.getAttribute("data-value"))));
            Locator eur = page.locator("[data-metric='conversion_value'] li[data-currency='EUR'] .card-value");
            assertThat(eur.textContent()).endsWith("€").contains(",");
            LocalDate from = DashboardSite.today().minusDays(6);
            assertThat(page.locator(".page-sub").textContent()).startsWith(
                    String.format("%02d.%02d.%d", from.getDayOfMonth(), from.getMonthValue(), from.getYear()));
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    private static String window30(JsonNode realtime, String field) {
        for (JsonNode w : realtime.get("windows")) {
            if (w.get("minutes").asInt() == 30) {
                return w.get(field).asText();
            }
        }
        throw new AssertionError("no 30-minute window in " + realtime);
    }
}
