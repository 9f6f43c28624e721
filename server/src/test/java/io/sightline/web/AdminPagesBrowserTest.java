package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.sightline.web.SignedIn.api;
import static io.sightline.web.SignedIn.assertClean;
import static io.sightline.web.SignedIn.button;
import static io.sightline.web.SignedIn.confirm;
import static io.sightline.web.SignedIn.dialog;
import static io.sightline.web.SignedIn.secret;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin pages in headless Chromium, signed in as the first admin, against the real server: each action done
 * through the page, and its effect checked through the API (a key that works or not, a user's apps, the events
 * of a visitor, the deliveries of a destination).
 */
class AdminPagesBrowserTest {
    private static final String PIXEL = "123456789012345";

    private static MetaReceiver meta;
    private static TestServer server;
    private static Browser browser;
    private static long secondApp;

    @BeforeAll
    static void start() throws Exception {
        meta = new MetaReceiver();
        server = TestServer.startForwarding(Map.of("SIGHTLINE_META_BASE_URL", meta.baseUrl(),
                "SIGHTLINE_FORWARD_BACKOFF", "100ms", "SIGHTLINE_DEVICE_DETECTION", "false"), Clock.systemUTC());
        secondApp = api(server, "POST", "/api/v1/apps", "{\"name\":\"Second shop\",\"time_zone\":\"Europe/Berlin\"}", 201)
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
        meta.close();
    }

    @Test
    void an_app_created_on_the_page_gets_a_write_key_shown_once_and_rotating_it_refuses_the_old_one() throws Exception {
        try (Browser.Tab tab = SignedIn.admin(browser, server)) {
            Page page = tab.go("/admin/apps").page();
            Locator create = page.locator("[data-panel='app-create']");
            create.getByLabel("Name").fill("Showroom app");
            create.getByLabel("Retention (days)").fill("180");
            button(page, "Create app").click();
            String firstKey = secret(page, "app-create");
            assertThat(SignedIn.track(server, firstKey, event("qr_scan", "v-app"))).isEqualTo(200);

            JsonNode apps = api(server, "GET", "/api/v1/apps", null, 200).get("apps");
            JsonNode made = null;
            for (JsonNode app : apps) {
                if (app.get("name").asText().equals("Showroom app")) {
                    made = app;
                }
            }
            assertThat(made).as(apps.toString()).isNotNull();
            assertThat(made.get("retention_days").asInt()).isEqualTo(180);
            page.locator("[data-panel='apps'] tr[data-app-id='" + made.get("id").asText() + "']").waitFor();
            assertThat(page.locator("[data-panel='apps'] tbody tr").count()).isEqualTo(apps.size());

            button(page, "Rotate the write key of Showroom app").click();
            assertThat(dialog(page).textContent()).contains("Rotate the write key of Showroom app?");
            SignedIn.windowShots(page, "admin-apps-confirm");
            confirm(page, "Rotate write key");
            String newKey = secret(page, "apps");
            assertThat(newKey).isNotEqualTo(firstKey);
            assertThat(SignedIn.track(server, newKey, event("qr_scan", "v-app"))).isEqualTo(200);
            assertThat(SignedIn.track(server, firstKey, event("qr_scan", "v-app"))).isEqualTo(401);
            tab.screenshots("admin-apps-secret");

            tab.go("/admin/apps");
            assertThat(page.locator(".admin-secret").count()).isZero();
            assertThat(page.content()).doesNotContain(newKey);
            tab.screenshots("admin-apps");
            assertClean(tab);
        }
    }

    @Test
    void an_api_token_is_shown_once_reads_the_stats_and_is_refused_once_revoked() throws Exception {
        try (Browser.Tab tab = SignedIn.admin(browser, server)) {
            Page page = tab.go("/admin/tokens?app=1").page();
            page.getByLabel("Label of a new API token").fill("BI nightly import");
            button(page, "Create API token").click();
            String token = secret(page, "api-tokens");
            String stats = "/api/v1/apps/1/stats/summary";
            assertThat(SignedIn.bearer(server, stats, token).statusCode()).isEqualTo(200);
            JsonNode listed = api(server, "GET", "/api/v1/apps/1/api-tokens", null, 200).get("api_tokens");
            assertThat(page.locator("[data-panel='api-tokens'] tbody tr").count()).isEqualTo(listed.size());
            tab.screenshots("admin-tokens");

            button(page, "Revoke the API token BI nightly import").click();
            confirm(page, "Revoke API token");
            page.locator("[data-panel='api-tokens'] .notice").getByText("is revoked").waitFor();
            assertThat(SignedIn.bearer(server, stats, token).statusCode()).isEqualTo(401);
            assertThat(page.locator("[data-panel='api-tokens'] .chip").getByText("Revoked").count()).isEqualTo(1);

            tab.go("/admin/tokens?app=1");
            assertThat(page.content()).doesNotContain(token);
            assertClean(tab);
        }
    }

    @Test
    void a_confirmation_takes_the_focus_escape_cancels_it_and_the_focus_returns() throws Exception {
        api(server, "POST", "/api/v1/apps/1/api-tokens", "{\"label\":\"Keyboard check\"}", 201);
        try (Browser.Tab tab = SignedIn.admin(browser, server)) {
            Page page = tab.go("/admin/tokens?app=1").page();
            Locator revoke = button(page, "Revoke the API token Keyboard check");
            revoke.focus();
            page.keyboard().press("Enter");
            dialog(page).waitFor();
            assertThat(page.locator("dialog[open] :focus").count()).isEqualTo(1);
            assertThat(page.locator(":focus").textContent()).isEqualTo("Cancel");
            page.keyboard().press("Escape");
            page.locator("dialog").waitFor(new Locator.WaitForOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
            assertThat(page.locator(":focus").getAttribute("aria-label")).isEqualTo("Revoke the API token Keyboard check");

            // Tab moves through the dialog and stays in it; Enter on Cancel revokes nothing either.
            page.keyboard().press("Enter");
            dialog(page).waitFor();
            page.keyboard().press("Tab");
            assertThat(page.locator("dialog[open] :focus").textContent()).isEqualTo("Revoke API token");
            page.keyboard().press("Shift+Tab");
            page.keyboard().press("Enter");
            page.locator("dialog").waitFor(new Locator.WaitForOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
            for (JsonNode t : api(server, "GET", "/api/v1/apps/1/api-tokens", null, 200).get("api_tokens")) {
                if (t.get("label").asText().equals("Keyboard check")) {
                    assertThat(t.get("revoked_at").isNull()).as(t.toString()).isTrue();
                }
            }
            assertClean(tab);
        }
    }

    @Test
    void a_viewer_is_added_with_a_link_shown_once_given_other_apps_and_deleted_but_the_last_admin_stays() throws Exception {
        try (Browser.Tab tab = SignedIn.admin(browser, server)) {
            Page page = tab.go("/admin/users").page();
            Locator create = page.locator("[data-panel='user-create']");
            create.getByLabel("Email").fill("agency@example.org");
            create.getByLabel("Role").selectOption("viewer");
            create.getByLabel("default").check();
            button(page, "Add user").click();
            String link = secret(page, "user-create");
            assertThat(link).startsWith(SignedIn.base(server) + "/setup#");
            JsonNode viewer = user("agency@example.org");
            assertThat(viewer.get("role").asText()).isEqualTo("viewer");
            assertThat(viewer.get("app_ids").toString()).isEqualTo("[1]");
            Locator row = page.locator("tr[data-user-id='" + viewer.get("id").asText() + "']");
            row.waitFor();
            assertThat(row.textContent()).contains("default", "Not set yet");
            tab.screenshots("admin-users-secret");

            button(page, "Edit agency@example.org").click();
            dialog(page).getByLabel("default").uncheck();
            dialog(page).getByLabel("Second shop").check();
            SignedIn.windowShots(page, "admin-users-edit");
            confirm(page, "Save");
            page.locator("[data-panel='users'] .notice").getByText("is saved").waitFor();
            assertThat(user("agency@example.org").get("app_ids").toString()).isEqualTo("[" + secondApp + "]");
            assertThat(row.textContent()).contains("Second shop").doesNotContain("default");

            tab.go("/admin/users");
            assertThat(page.content()).doesNotContain(link.substring(link.indexOf('#') + 1));
            tab.screenshots("admin-users");
            button(page, "Delete agency@example.org").click();
            assertThat(dialog(page).textContent()).contains("Delete the user agency@example.org?");
            confirm(page, "Delete user");
            page.locator("[data-panel='users'] .notice").getByText("is deleted").waitFor();
            assertThat(user("agency@example.org")).isNull();

            button(page, "Delete " + SignedIn.ADMIN).click();
            confirm(page, "Delete user");
            Locator refusal = page.locator("[data-panel='users'] .notice-error");
            refusal.waitFor();
            assertThat(refusal.textContent()).contains("Sightline needs at least one admin user");
            assertThat(user(SignedIn.ADMIN)).isNotNull();
            tab.screenshots("admin-users-last-admin");
            assertClean(tab, "409");
        }
    }

    @Test
    void a_visitors_export_downloads_its_events_and_the_confirmed_delete_removes_them() throws Exception {
        String visitor = "v-privacy-" + UUID.randomUUID().toString().substring(0, 8);
        for (String type : List.of("qr_scan", "placement", "interaction")) {
            assertThat(SignedIn.track(server, server.writeKey(), event(type, visitor))).isEqualTo(200);
        }
        assertThat(SignedIn.track(server, server.writeKey(), event("qr_scan", "v-someone-else"))).isEqualTo(200);
        String exportPath = "/api/v1/apps/1/privacy/export?visitor_id=" + visitor;
        List<String> answered = lines(server.admin("GET", exportPath, null).body());
        assertThat(answered).hasSize(3);

        try (Browser.Tab tab = SignedIn.admin(browser, server)) {
            Page page = tab.go("/admin/privacy?app=1").page();
            page.getByLabel("Visitor or user id").fill(visitor);
            Download download = page.waitForDownload(() -> button(page, "Export events").click());
            List<String> downloaded = lines(Files.readString(download.path()));
            assertThat(downloaded).isEqualTo(answered);
            assertThat(download.suggestedFilename()).endsWith(".ndjson").contains(visitor);
            page.locator("[data-panel='privacy-request'] .notice").getByText("Exported 3 events").waitFor();

            button(page, "Delete events…").click();
            assertThat(dialog(page).textContent()).contains(visitor);
            SignedIn.windowShots(page, "admin-privacy-confirm");
            confirm(page, "Delete events");
            page.locator("[data-panel='privacy-request'] .notice").getByText("Deleted 3 events").waitFor();
            page.locator("[data-panel='privacy-requests'][data-state='ready']").waitFor();
            JsonNode requests = api(server, "GET", "/api/v1/apps/1/privacy/requests", null, 200).get("requests");
            JsonNode latest = requests.get(0);
            assertThat(latest.get("action").asText()).isEqualTo("delete");
            assertThat(latest.get("row_count").asInt()).isEqualTo(3);
            Locator rows = page.locator("[data-panel='privacy-requests'] tbody tr");
            assertThat(rows.count()).isEqualTo(requests.size());
            assertThat(rows.first().textContent()).contains("Delete", latest.get("subject_hash").asText().substring(0, 12));
            assertThat(rows.first().locator("td").last().locator("[data-value]").getAttribute("data-value")).isEqualTo("3");

            assertThat(lines(server.admin("GET", exportPath, null).body())).isEmpty();
            assertThat(lines(server.admin("GET", "/api/v1/apps/1/privacy/export?visitor_id=v-someone-else", null)
                    .body())).hasSize(1);
            tab.screenshots("admin-privacy");
            assertClean(tab);
        }
    }

    @Test
    void the_destinations_health_and_dead_letters_are_the_apis_and_re_queue_sends_them_again() throws Exception {
        JsonNode created = api(server, "POST", "/api/v1/apps/1/destinations", "{\"type\":\"meta\",\"name\":\"Meta ads\","
                + "\"config\":{\"pixel_id\":\"" + PIXEL + "\",\"access_token\":\"EAAGtest" + UUID.randomUUID().toString()
                .replace("-", "") + "\"}}", 201);
        long id = created.get("id").asLong();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String eventId = UUID.randomUUID().toString();
            if (i % 2 == 1) {
                meta.refuse(eventId);
                refused.add(eventId);
            }
            assertThat(SignedIn.track(server, server.writeKey(), conversion(eventId, 20.0 + i))).isEqualTo(200);
            await("the platform answered " + eventId, () -> meta.answered(eventId));
        }
        String health = "/api/v1/apps/1/destinations/health?days=7";
        await("the outcomes recorded", () -> {
            JsonNode d = destination(health, id);
            return d.get("delivered").asLong() == 2 && d.get("dead").asLong() == 2 && d.get("pending").asLong() == 0;
        });
        JsonNode expected = destination(health, id);

        try (Browser.Tab tab = SignedIn.admin(browser, server)) {
            Page page = tab.go("/admin/destinations?app=1").page();
            Locator row = page.locator("tr[data-destination-id='" + id + "']");
            for (String count : List.of("delivered", "retried", "failed", "dead", "expired", "skipped", "pending")) {
                String label = Character.toUpperCase(count.charAt(0)) + count.substring(1);
                assertThat(row.locator("td[data-label='" + label + "'] [data-value]").getAttribute("data-value"))
                        .as(count).isEqualTo(expected.get(count).asText());
            }
            assertThat(row.locator("td[data-label='Lag'] [data-value]").getAttribute("data-value")).isEqualTo("0");
            tab.screenshots("admin-destinations");

            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Dead letters of Meta ads")).click();
            page.locator("[data-panel='dead-letters'][data-state='ready']").waitFor();
            JsonNode dead = api(server, "GET", "/api/v1/apps/1/destinations/" + id + "/deliveries?status=dead&limit=100",
                    null, 200).get("deliveries");
            Locator letters = page.locator("[data-panel='dead-letters'] tbody tr");
            assertThat(letters.count()).isEqualTo(dead.size()).isEqualTo(2);
            for (int i = 0; i < letters.count(); i++) {
                assertThat(refused).contains(letters.nth(i).locator("code").textContent());
                assertThat(letters.nth(i).locator(".admin-error").textContent()).contains(MetaReceiver.REFUSAL);
            }
            tab.screenshots("admin-dead-letters");

            meta.acceptAll();
            button(page, "Re-queue dead deliveries…").click();
            assertThat(dialog(page).textContent()).contains("(2)");
            confirm(page, "Re-queue");
            Locator said = page.locator("[data-panel='dead-letters'] .notice").getByText("Re-queued");
            said.waitFor();
            assertThat(said.textContent()).contains("Re-queued " + dead.size() + " deliveries");
            await("the re-queued deliveries delivered", () -> destination(health, id).get("delivered").asLong() == 4);
            assertThat(api(server, "GET", "/api/v1/apps/1/destinations/" + id + "/deliveries?status=dead", null, 200)
                    .get("deliveries")).isEmpty();
            assertClean(tab);
        }
    }

    private static JsonNode destination(String health, long id) {
        try {
            for (JsonNode d : api(server, "GET", health, null, 200).get("destinations")) {
                if (d.get("id").asLong() == id) {
                    return d;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("destination " + id + " missing from " + health);
    }

    private static JsonNode user(String email) throws Exception {
        for (JsonNode u : api(server, "GET", "/api/v1/users", null, 200).get("users")) {
            if (u.get("email").asText().equals(email)) {
                return u;
            }
        }
        return null;
    }

    private static List<String> lines(String ndjson) {
        return ndjson.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String event(String type, String visitor) {
        String properties = switch (type) {
            case "qr_scan" -> "{\"qr_code_id\":\"poster-1\"}";
            case "placement" -> "{\"object_id\":\"armchair-oak\"}";
            default -> "{\"object_id\":\"armchair-oak\",\"kind\":\"rotate\"}";
        };
        return "{\"type\":\"" + type + "\",\"visitor_id\":\"" + visitor + "\",\"session_id\":\"s-" + visitor
                + "\",\"properties\":" + properties + "}";
    }

    private static String conversion(String eventId, double value) {
        return "{\"type\":\"conversion\",\"event_id\":\"" + eventId + "\",\"visitor_id\":\"v-dest\","
                + "\"properties\":{\"cta_id\":\"buy\",\"value\":" + value + ",\"currency\":\"EUR\"},"
                + "\"context\":{\"consent\":{\"analytics\":true,\"ads\":true}}}";
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
