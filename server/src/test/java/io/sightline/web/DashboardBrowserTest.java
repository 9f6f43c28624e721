package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium. The session routes are not on this branch yet, so the signed-in pages are
 * reached as a share link would reach them: the test answers {@code GET /api/v1/session} in the browser, and the
 * page asks the real stats API with the admin token as its Bearer. Everything else is the real server.
 */
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COUNTRIES = {"DE", "DE", "DE", "FR", "US", "GB", "NL"};
    private static final String[] CITIES = {"Berlin", "Munich", "Hamburg", "Paris", "Austin", "London", "Utrecht"};

    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        assertThat(server.ingest("/api/v1/analytics/batch", seed()).statusCode()).isEqualTo(200);
        browser = Browser.launch();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        server.close();
    }

    @Test
    void the_login_page_has_labelled_fields_and_logs_no_errors() {
        try (Browser.Tab tab = browser.open(base())) {
            Page page = tab.go("/login").page();
            assertThat(page.getByLabel("Email").isVisible()).isTrue();
            assertThat(page.getByLabel("Password").isVisible()).isTrue();
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).isEnabled()).isTrue();
            assertThat(page.title()).isEqualTo("Sign in · Sightline");
            tab.screenshots("login");
            assertThat(tab.consoleErrors()).isEmpty();
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    @Test
    void a_password_link_asks_for_the_password_twice_and_takes_its_token_out_of_the_address_bar() {
        try (Browser.Tab tab = browser.open(base())) {
            Page page = tab.go("/setup#a-one-time-token").page();
            assertThat(page.getByLabel("New password").isVisible()).isTrue();
            assertThat(page.getByLabel("Repeat it").isVisible()).isTrue();
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
    void a_password_link_without_its_token_says_it_is_incomplete() {
        try (Browser.Tab tab = browser.open(base())) {
            Page page = tab.go("/setup").page();
            assertThat(page.getByRole(AriaRole.ALERT).textContent()).contains("This link is incomplete");
            assertThat(tab.consoleErrors()).isEmpty();
        }
    }

    @Test
    void the_overview_shows_the_stats_apis_numbers_and_a_country_click_filters_the_page() throws Exception {
        try (Browser.Tab tab = browser.open(base())) {
            Page page = tab.page();
            answerSessionAsShare(page);
            tab.go("/share/" + server.adminToken());
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            String range = "from=" + today.minusDays(29) + "&to=" + today;

            JsonNode summary = stats("summary?" + range);
            assertThat(card(page, "visitors")).isEqualTo(summary.at("/current/visitors").asText());
            assertThat(card(page, "events")).isEqualTo(summary.at("/current/events").asText());
            assertThat(card(page, "conversions")).isEqualTo(summary.at("/current/conversions").asText());
            for (String panel : List.of("summary", "timeseries", "funnel", "realtime", "breakdown-country")) {
                assertThat(page.locator("[data-panel='" + panel + "']").getAttribute("data-state")).as(panel).isEqualTo("ready");
            }
            JsonNode countries = stats("breakdown?by=country&limit=10&" + range);
            List<String> shown = page.locator("[data-panel='breakdown-country'] .bar-row").all().stream()
                    .map(row -> row.getAttribute("data-dim-value")).toList();
            List<String> answered = new ArrayList<>();
            countries.path("values").forEach(v -> answered.add(v.path("value").asText()));
            assertThat(shown).isEqualTo(answered);
            JsonNode funnel = stats("funnel?steps=qr_scan,placement,interaction,conversion&window=1h&" + range);
            assertThat(page.locator("[data-panel='funnel'] [data-step='placement'] .count").getAttribute("data-value"))
                    .isEqualTo(funnel.at("/steps/1/count").asText());
            tab.screenshots("overview");

            page.locator("[data-panel='breakdown-country'] .bar-row[data-dim-value='DE']").click();
            tab.waitReady();
            assertThat(page.url()).contains("filter=country%3Aeq%3ADE");
            JsonNode filtered = stats("summary?" + range + "&filter=" + URLEncoder.encode("country:eq:DE", StandardCharsets.UTF_8));
            assertThat(card(page, "visitors")).isEqualTo(filtered.at("/current/visitors").asText());
            assertThat(page.locator(".filters .chip").textContent()).contains("Country is Germany");
            assertThat(tab.pageErrors()).isEmpty();

            page.goBack();
            tab.waitReady();
            assertThat(page.locator(".filters .chip").count()).isZero();
            assertThat(card(page, "visitors")).isEqualTo(summary.at("/current/visitors").asText());
        }
    }

    @Test
    void a_malformed_view_in_the_url_is_explained_on_the_page() {
        try (Browser.Tab tab = browser.open(base())) {
            Page page = tab.page();
            answerSessionAsShare(page);
            tab.go("/share/" + server.adminToken() + "?range=fortnight&filter=country");
            String message = page.locator(".notice-error").textContent();
            assertThat(message).contains("This link does not describe a view", "fortnight", "country");
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    @Test
    void a_range_the_api_refuses_is_explained_on_the_page_with_its_message() {
        try (Browser.Tab tab = browser.open(base())) {
            Page page = tab.page();
            answerSessionAsShare(page);
            tab.go("/share/" + server.adminToken() + "?range=custom&from=2020-01-01&to=2026-01-01");
            assertThat(page.locator("[data-panel='summary']").getAttribute("data-state")).isEqualTo("error");
            assertThat(page.locator(".notices .notice-error").textContent()).contains("at most 1096 days");
            tab.screenshots("overview-refused");
            assertThat(tab.pageErrors()).isEmpty();
        }
    }

    private static String card(Page page, String metric) {
        return page.locator("[data-panel='summary'] [data-metric='" + metric + "'] .card-value").getAttribute("data-value");
    }

    /** Until the session routes are merged, GET /api/v1/session is answered here, as for a share link. */
    private static void answerSessionAsShare(Page page) {
        page.route("**/api/v1/session", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                .setStatus(200).setContentType("application/json")
                .setBody("{\"kind\":\"share\",\"user\":null,\"csrf_token\":null,"
                        + "\"apps\":[{\"id\":1,\"name\":\"default\",\"time_zone\":\"UTC\"}]}")));
    }

    private static JsonNode stats(String pathAndQuery) throws Exception {
        var answer = server.get("/api/v1/apps/1/stats/" + pathAndQuery,
                Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(answer.statusCode()).as(pathAndQuery + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static String base() {
        return server.uri("").toString();
    }

    /** 42 visitors over the last 6 days, most of them going some way down the AR funnel. */
    private static String seed() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 42; i++) {
            Instant start = now.minus(i % 6, ChronoUnit.DAYS).minus(i % 6 == 0 ? 5 + i % 20 : 60 + i * 7, ChronoUnit.MINUTES);
            String context = "\"context\":{\"location\":{\"country\":\"" + COUNTRIES[i % 7] + "\",\"city\":\"" + CITIES[i % 7]
                    + "\"},\"device\":{\"os\":\"" + (i % 3 == 0 ? "Android" : "iOS") + "\",\"model\":\""
                    + (i % 3 == 0 ? "Pixel 8" : i % 2 == 0 ? "iPhone15,2" : "iPhone14,5") + "\",\"type\":\"phone\"},"
                    + "\"app\":{\"version\":\"2." + (i % 4) + "\"},\"campaign\":{\"utm_source\":\""
                    + (i % 2 == 0 ? "instagram" : "poster") + "\",\"utm_medium\":\"" + (i % 2 == 0 ? "social" : "print") + "\"}}";
            String who = "\"visitor_id\":\"v-" + i + "\",\"session_id\":\"s-" + i + "\",";
            event(events, who, start, "qr_scan", "{\"qr_code_id\":\"poster-" + (i % 3) + "\",\"campaign\":\""
                    + (i % 2 == 0 ? "spring" : "summer") + "\"}", context);
            if (i % 4 != 3) {
                event(events, who, start.plusSeconds(40 + i), "placement", "{\"object_id\":\""
                        + (i % 2 == 0 ? "armchair-oak" : "lamp-brass") + "\"}", context);
            }
            if (i % 4 != 3 && i % 3 != 2) {
                event(events, who, start.plusSeconds(100 + i * 2), "interaction", "{\"object_id\":\"armchair-oak\",\"kind\":\""
                        + new String[] {"rotate", "tap", "scale"}[i % 3] + "\"}", context);
            }
            if (i % 4 != 3 && i % 3 != 2 && i % 2 == 0) {
                event(events, who, start.plusSeconds(200 + i * 3), "conversion", "{\"cta_id\":\"buy-now\",\"value\":"
                        + (49 + i) + ".5,\"currency\":\"EUR\"}", context);
            }
        }
        return "{\"events\":[" + events + "]}";
    }

    private static void event(StringBuilder events, String who, Instant at, String type, String properties, String context) {
        if (!events.isEmpty()) {
            events.append(',');
        }
        events.append("{\"type\":\"").append(type).append("\",").append(who).append("\"occurred_at\":\"").append(at)
                .append("\",\"properties\":").append(properties).append(',').append(context).append('}');
    }
}
