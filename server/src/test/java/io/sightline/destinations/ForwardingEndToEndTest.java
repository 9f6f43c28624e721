package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.sightline.destinations.Forwarding.await;
import static io.sightline.destinations.Forwarding.conversion;
import static io.sightline.destinations.Forwarding.newId;
import static io.sightline.destinations.Forwarding.track;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forwarding through the real server, the real database and the real platform clients, to local receivers that
 * check requests as Meta and Umami do: what reaches them, what never does, and what the metrics and log show.
 */
class ForwardingEndToEndTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static PlatformStub meta;
    private static PlatformStub umami;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Forwarding.captureLog();
        meta = new PlatformStub(PlatformStub.meta(Forwarding.SECRETS));
        umami = new PlatformStub(PlatformStub.umami(Forwarding.UMAMI_SITE));
        server = TestServer.startForwarding(Forwarding.env(meta), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
        meta.close();
        umami.close();
        assertThat(Forwarding.log()).as("the captured log").contains("Destination");
        Forwarding.assertNoSecret(Forwarding.log());
    }

    @AfterEach
    void no_credential_in_the_log_so_far() throws Exception {
        Forwarding.assertNoSecret(Forwarding.log());
        for (JsonNode d : Forwarding.admin(server, "GET", "/api/v1/apps/1/destinations", null, 200).get("destinations")) {
            Forwarding.admin(server, "DELETE", "/api/v1/apps/1/destinations/" + d.get("id").asLong(), null, 204);
        }
    }

    @Test
    void sends_purchase_and_lead_once_each_with_the_event_id_the_hashed_email_and_fbc() throws Exception {
        Forwarding.meta(server, null);
        long started = System.nanoTime();
        String purchase = track(server, conversion(newId(), 49.5, true, "v-buyer"));
        String lead = track(server, conversion(newId(), null, true, "v-lead"));
        await(SOON, "both reach Meta", () -> meta.accepted().keySet().containsAll(List.of(purchase, lead)));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(millis).as("from ingestion to Meta, ms").isLessThan(5000);

        JsonNode p = sent(purchase);
        assertThat(p.get("event_name").asText()).isEqualTo("Purchase");
        assertThat(p.at("/custom_data/value").asDouble()).isEqualTo(49.5);
        assertThat(p.at("/custom_data/currency").asText()).isEqualTo("EUR");
        assertThat(p.at("/user_data/em/0").asText()).isEqualTo(sha256("ada@example.org"));
        assertThat(p.at("/user_data/fbc").asText()).isEqualTo("fb.1.1554763741205.IwAR2F4abc");
        JsonNode l = sent(lead);
        assertThat(l.get("event_name").asText()).isEqualTo("Lead");
        assertThat(l.path("custom_data").has("value")).isFalse();
        Thread.sleep(1000);
        assertThat(meta.accepted()).containsEntry(purchase, 1).containsEntry(lead, 1);
        assertThat(meta.hits().stream().flatMap(h -> h.eventIds().stream()).filter(purchase::equals)).hasSize(1);
    }

    @Test
    void a_retried_conversion_without_occurred_at_is_forwarded_once() throws Exception {
        Forwarding.meta(server, null);
        String id = newId();
        String json = conversion(id, 30.0, true, "v-retry"); // no occurred_at: the retry gets a new server time
        track(server, json);
        await(SOON, "the first copy reaches Meta", () -> meta.accepted().containsKey(id));
        track(server, json); // the client never saw the first answer and sends it again
        String control = track(server, conversion(newId(), 31.0, true, "v-retry-control"));
        await(SOON, "the control reaches Meta", () -> meta.accepted().containsKey(control));
        assertThat(eventIdsSentToMeta().stream().filter(id::equals)).as("requests carrying the retried id").hasSize(1);
    }

    @Test
    void an_event_without_ads_consent_never_reaches_meta_but_the_next_one_does() throws Exception {
        Forwarding.meta(server, null);
        String refused = track(server, conversion(newId(), 10.0, false, "v-no-ads"));
        String control = track(server, conversion(newId(), 11.0, true, "v-ads"));
        await(SOON, "the control reaches Meta", () -> meta.accepted().containsKey(control));
        assertThat(eventIdsSentToMeta()).doesNotContain(refused);
    }

    @Test
    void umami_gets_an_analytics_event_with_its_website_id_and_a_browser_user_agent() throws Exception {
        Forwarding.create(server, "{\"type\":\"umami\",\"name\":\"Umami\",\"config\":{\"url\":\"" + umami.baseUrl()
                + "\",\"website_id\":\"" + Forwarding.UMAMI_SITE + "\"}}");
        int before = umami.hits().size();
        track(server, conversion(newId(), 5.0, false, "v-umami"));
        await(SOON, "Umami gets the event", () -> umami.hits().size() > before);
        PlatformStub.Hit hit = umami.hits().get(before);
        assertThat(hit.json().at("/payload/website").asText()).isEqualTo(Forwarding.UMAMI_SITE);
        assertThat(hit.userAgent()).startsWith("Mozilla/5.0").doesNotContainIgnoringCase("java");
        assertThat(hit.json().at("/payload/name").asText()).isNotEmpty();
        Thread.sleep(500);
        assertThat(umami.hits()).as("one request for one event").hasSize(before + 1);
    }

    @Test
    void a_custom_rule_forwards_that_custom_event_only() throws Exception {
        Forwarding.meta(server, "[{\"match\":\"custom:signup\",\"name\":\"CompleteRegistration\"}]");
        String other = track(server, custom("newsletter"));
        String conversion = track(server, conversion(newId(), 3.0, true, "v-c"));
        String signup = track(server, custom("signup"));
        await(SOON, "the signup reaches Meta", () -> meta.accepted().containsKey(signup));
        assertThat(sent(signup).get("event_name").asText()).isEqualTo("CompleteRegistration");
        assertThat(eventIdsSentToMeta()).doesNotContain(other, conversion);
    }

    @Test
    void a_disabled_or_deleted_destination_gets_nothing_more() throws Exception {
        long disabled = Forwarding.meta(server, null).id();
        long deleted = Forwarding.create(server, "{\"type\":\"umami\",\"name\":\"U\",\"config\":{\"url\":\""
                + umami.baseUrl() + "\",\"website_id\":\"" + Forwarding.UMAMI_SITE + "\"}}");
        String first = track(server, conversion(newId(), 1.0, true, "v-d"));
        int umamiAtStart = umami.hits().size();
        await(SOON, "the first event reaches both", () -> meta.accepted().containsKey(first)
                && umami.hits().size() > umamiAtStart);
        Forwarding.admin(server, "PATCH", "/api/v1/apps/1/destinations/" + disabled, "{\"enabled\":false}", 200);
        Forwarding.admin(server, "DELETE", "/api/v1/apps/1/destinations/" + deleted, null, 204);
        int umamiBefore = umami.hits().size();
        // A control destination on another pixel, enabled after the others changed: it must get the next event.
        String otherToken = Forwarding.secret("EAAG");
        Forwarding.create(server, "{\"type\":\"meta\",\"name\":\"Control\",\"config\":{\"pixel_id\":\"777\","
                + "\"access_token\":\"" + otherToken + "\"}}");
        String second = track(server, conversion(newId(), 2.0, true, "v-d"));
        await(SOON, "the control destination gets the second event", () -> meta.hits().stream()
                .anyMatch(h -> "777".equals(h.pixel()) && h.eventIds().contains(second)));
        Thread.sleep(300);
        assertThat(meta.hits().stream().filter(h -> Forwarding.PIXEL.equals(h.pixel()))
                .flatMap(h -> h.eventIds().stream())).doesNotContain(second);
        assertThat(umami.hits()).hasSize(umamiBefore);
    }

    @Test
    void one_conversion_reaches_eight_destinations_at_once() throws Exception {
        List<String> pixels = new java.util.ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            pixels.add("80" + i);
            Forwarding.create(server, "{\"type\":\"meta\",\"name\":\"Meta " + i + "\",\"config\":{\"pixel_id\":\"80"
                    + i + "\",\"access_token\":\"" + Forwarding.secret("EAAG") + "\"}}");
        }
        long started = System.nanoTime();
        String e = track(server, conversion(newId(), 8.0, true, "v-eight"));
        await(SOON, "all eight pixels get it", () -> meta.hits().stream().filter(h -> h.eventIds().contains(e))
                .map(PlatformStub.Hit::pixel).distinct().count() == 8);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(millis).as("ms until the eighth destination got it (the send timeout is 5 s)").isLessThan(3000);
        assertThat(meta.accepted().get(e)).isEqualTo(8);
    }

    @Test
    void a_backfilled_conversion_is_forwarded_too() throws Exception {
        Forwarding.meta(server, null);
        // An event older than the late-event delay takes the writer's other statement (it also marks rollups).
        String late = conversion(newId(), 12.0, true, "v-late").replace("\"visitor_id\"",
                "\"occurred_at\":\"" + java.time.Instant.now().minus(Duration.ofDays(2)) + "\",\"visitor_id\"");
        String e = track(server, late);
        await(SOON, "the backfilled conversion reaches Meta", () -> meta.accepted().containsKey(e));
        assertThat(sent(e).get("event_time").asLong())
                .isEqualTo(java.time.Instant.parse(PlatformStub.JSON.readTree(late).get("occurred_at").asText())
                        .getEpochSecond());
    }

    @Test
    void metrics_count_deliveries_by_outcome() throws Exception {
        long id = Forwarding.meta(server, null).id();
        String e = track(server, conversion(newId(), 7.0, true, "v-m"));
        await(SOON, "delivered", () -> meta.accepted().containsKey(e));
        await(SOON, "the metric shows it", () -> scrape().lines().anyMatch(line ->
                line.startsWith("sightline_forward_deliveries_total{") && line.contains("destination=\"" + id + "\"")
                        && line.contains("outcome=\"delivered\"") && line.contains("type=\"meta\"")));
    }

    private static String scrape() {
        var r = server.get("/metrics", Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(r.statusCode()).isEqualTo(200);
        Forwarding.assertNoSecret(r.body());
        return r.body();
    }

    private static String custom(String name) {
        return "{\"type\":\"custom\",\"name\":\"" + name + "\",\"event_id\":\"" + newId() + "\",\"visitor_id\":\"v-c\","
                + "\"properties\":{\"plan\":\"pro\"},\"context\":{\"consent\":{\"analytics\":true,\"ads\":true}}}";
    }

    private static List<String> eventIdsSentToMeta() {
        return meta.hits().stream().flatMap(h -> h.eventIds().stream()).toList();
    }

    /** The Meta server event sent for a Sightline event id. */
    private static JsonNode sent(String eventId) {
        for (PlatformStub.Hit h : meta.hits()) {
            for (JsonNode e : h.json().path("data")) {
                if (eventId.equals(e.path("event_id").asText())) {
                    return e;
                }
            }
        }
        throw new AssertionError("never sent to Meta: " + eventId);
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
