package io.sightline.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.sightline.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Usable by everyone: the keyboard, names of controls, WCAG AA contrast at 1440 and 390 px, no sideways scroll. */
class OverviewAccessibilityBrowserTest {
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
    void a_breakdown_row_is_reached_with_tab_and_applied_with_enter() {
        try (Browser.Tab tab = site.signIn("/apps/1")) {
            Page page = tab.page();
            page.locator("body").focus();
            String reached = null;
            for (int presses = 0; presses < 80 && reached == null; presses++) {
                page.keyboard().press("Tab");
                reached = (String) page.evaluate("() => document.activeElement.matches("
                        + "\"[data-panel='breakdown-country'] .bar-row\") ? document.activeElement.dataset.dimValue : null");
            }
            assertThat(reached).as("a country row, within 80 presses of Tab").isNotNull();
            page.keyboard().press("Enter");
            page.waitForURL("**/apps/1?filter=**");
            tab.waitReady();
            assertThat(URLDecoder.decode(page.url(), StandardCharsets.UTF_8)).endsWith("?filter=country:eq:" + reached);
            assertThat(page.locator(".filters .chip").count()).isEqualTo(1);
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    @Test
    void every_control_has_an_accessible_name() {
        try (Browser.Tab tab = site.browser.open(site.base())) {
            assertThat(PageChecks.unnamedControls(tab.go("/login").page())).isEmpty();
        }
        try (Browser.Tab tab = site.signIn("/apps/1?filter=country:eq:DE")) {
            Page page = tab.page();
            openEverything(page);
            assertThat(page.locator("input, select, textarea, button").count()).isGreaterThan(30);
            assertThat(PageChecks.unnamedControls(page)).isEmpty();
        }
    }

    @Test
    void the_checks_themselves_see_pale_text_an_unnamed_field_and_a_wide_box() {
        try (Browser.Tab tab = site.browser.open(site.base())) {
            Page page = tab.go("/login").page();
            assertThat(PageChecks.contrastFailures(page)).isEmpty();
            page.evaluate("() => { const p = document.createElement('p'); p.textContent = 'pale'; p.style.color = '#aaa';"
                    + " document.querySelector('.auth-card').append(p);"
                    + " const big = document.createElement('p'); big.textContent = 'big and pale enough'; "
                    + " Object.assign(big.style, {color: '#888', fontSize: '24px'}); document.querySelector('.auth-card').append(big);"
                    + " document.querySelector('.auth-card').append(document.createElement('input'));"
                    + " const wide = document.createElement('div'); wide.style.width = '500px'; wide.textContent = 'wide';"
                    + " document.querySelector('.auth-card').append(wide); }");
            assertThat(PageChecks.contrastFailures(page)).singleElement().asString().contains("\"pale\"");
            assertThat(PageChecks.unnamedControls(page)).hasSize(1);
            page.setViewportSize(Browser.PHONE, Browser.PHONE_HEIGHT);
            assertThat(PageChecks.scrollWidth(page)).isGreaterThan(Browser.PHONE);
        }
    }

    @Test
    void text_has_aa_contrast_and_the_page_fits_a_phone() {
        try (Browser.Tab tab = site.browser.open(site.base())) {
            assertLegible(tab.go("/login"), "login");
        }
        try (Browser.Tab tab = site.signIn("/apps/1?range=7d&compare=1&filter=os:eq:iOS")) {
            openEverything(tab.page());
            assertLegible(tab, "overview, filtered, every part open");
            tab.go("/apps/" + site.emptyApp);
            assertLegible(tab, "empty app");
            tab.go("/apps/1?range=bogus");
            assertLegible(tab, "error notice");
            assertThat(tab.pageErrors()).isEmpty();
            assertThat(DashboardSite.unexpectedConsoleErrors(tab)).isEmpty();
        }
    }

    /** Opens what starts closed: the chart's table, an event's properties, the funnel editor, the custom range. */
    private static void openEverything(Page page) {
        page.locator(".chart-table summary").click();
        page.locator("[data-panel='events'] details.event summary").first().click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit funnel")).click();
        page.getByLabel("Range", new Page.GetByLabelOptions().setExact(true)).selectOption("custom");
        Locator form = page.locator(".funnel-editor");
        assertThat(form.isVisible()).isTrue();
    }

    private static void assertLegible(Browser.Tab tab, String what) {
        Page page = tab.page();
        for (int width : new int[] {Browser.WIDE, Browser.PHONE}) {
            page.setViewportSize(width, width == Browser.WIDE ? Browser.WIDE_HEIGHT : Browser.PHONE_HEIGHT);
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            assertThat(PageChecks.contrastFailures(page)).as(what + " at " + width + " px").isEmpty();
            if (width == Browser.PHONE) {
                assertThat(PageChecks.scrollWidth(page)).as(what + ": no sideways scroll at 390 px").isLessThanOrEqualTo(390);
            }
        }
        page.setViewportSize(Browser.WIDE, Browser.WIDE_HEIGHT);
    }
}
