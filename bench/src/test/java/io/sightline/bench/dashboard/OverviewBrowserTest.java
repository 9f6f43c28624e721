package io.sightline.bench.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's measuring, against a stand-in page with the contract's hooks (see {@link FakeDashboard}), in the
 * Chromium the server's browser tests use: a wrong number here would go unnoticed in a 20-minute run.
 */
class OverviewBrowserTest {
    private static FakeDashboard dashboard;
    private static OverviewBrowser browser;

    @BeforeAll
    static void signIn() throws Exception {
        dashboard = new FakeDashboard();
        browser = OverviewBrowser.launch();
        browser.signIn(dashboard.port(), new DashboardUser("a long password"));
    }

    @AfterAll
    static void stop() {
        browser.close();
        dashboard.close();
    }

    @Test
    void signs_in_by_filling_and_sending_the_login_form() {
        assertThat(dashboard.signInBody()).contains("\"email\":\"" + DashboardUser.EMAIL + "\"", "a long password");
    }

    @Test
    void times_each_panel_until_it_leaves_loading_and_the_page_until_it_is_ready() throws Exception {
        PageLoad load = browser.load(1, false);

        Map<String, PageLoad.Panel> panels = load.panels().stream()
                .collect(Collectors.toMap(PageLoad.Panel::name, Function.identity()));
        assertThat(panels.keySet()).containsExactlyInAnyOrder("cards", "chart", "funnel");
        assertThat(panels.get("cards").state()).isEqualTo("ready");
        assertThat(panels.get("chart").state()).isEqualTo("empty");
        assertThat(panels.get("funnel").state()).isEqualTo("error"); // inserted after the first paint, already done
        assertThat(panels.get("cards").readyMs()).isGreaterThanOrEqualTo(100);
        assertThat(panels.get("funnel").readyMs()).isGreaterThanOrEqualTo(300);
        assertThat(load.renderMs()).isGreaterThanOrEqualTo(panels.get("funnel").readyMs() + 50)
                .isLessThanOrEqualTo(load.wallMs());
        assertThat(load.requests()).isEqualTo(4); // the document, the script, the API call, the browser's favicon
    }

    @Test
    void a_warm_load_takes_the_long_cached_script_from_the_cache_and_a_cold_one_fetches_it_again() throws Exception {
        browser.load(1, false);
        PageLoad warm = browser.load(1, false);
        PageLoad cold = browser.load(1, true);

        assertThat(cold.encodedBytes()).isEqualTo(warm.encodedBytes()).isGreaterThan(2000 + FakeDashboard.SCRIPT_BYTES);
        assertThat(cold.transferBytes() - warm.transferBytes()).isGreaterThanOrEqualTo(FakeDashboard.SCRIPT_BYTES);
        assertThat(cold.panels()).hasSize(3); // the cold context carried the session cookie
    }
}
