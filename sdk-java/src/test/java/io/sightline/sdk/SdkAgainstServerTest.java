package io.sightline.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDK against the real server and its database: what the app calls is what analytics_events holds. */
class SdkAgainstServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestServer server;

    /** Each test has its own folder, so its own visitor id: it reads only its own events. */
    @TempDir
    File storage;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private List<Map<String, Object>> stored() throws Exception {
        return ServerEvents.ofStorage(server, storage);
    }

    private SightlineBuilder client() {
        return Sightline.builder(server.writeKey(), server.uri("")).storage(storage)
                .flushInterval(Duration.ofMillis(100)).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .app("2.3", "41").device("Android", "14", "Pixel 8", "phone").locale(Locale.GERMANY);
    }

    @Test
    void each_kind_of_event_arrives_with_its_fields_visitor_session_user_and_context() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String visitor;
        try (Sightline sdk = client().adsConsent(true).build()) {
            visitor = sdk.visitorId();
            sdk.identify("user-1");
            sdk.qrScan("poster-7", "spring-sale");
            sdk.placement("armchair-oak", Surface.HORIZONTAL, 1800L);
            sdk.interaction("armchair-oak", InteractionKind.ROTATE, 90);
            sdk.screenshot("armchair-oak");
            sdk.conversion("buy-now", 349.0, "EUR");
            sdk.custom("color_changed", Map.of("color", "walnut", "tone", 3));
            assertThat(sdk.flush(WAIT)).isTrue();
            assertThat(sdk.sentEvents()).isEqualTo(6);
        }

        List<Map<String, Object>> rows = stored();
        assertThat(rows).hasSize(6);
        Map<String, Map<String, Object>> byType = rows.stream()
                .collect(Collectors.toMap(r -> (String) r.get("event_type"), r -> r));
        assertThat(props(byType.get("qr_scan"))).isEqualTo(json("{\"qr_code_id\":\"poster-7\",\"campaign\":\"spring-sale\"}"));
        assertThat(props(byType.get("placement")))
                .isEqualTo(json("{\"object_id\":\"armchair-oak\",\"surface\":\"horizontal\",\"duration_ms\":1800}"));
        assertThat(props(byType.get("interaction")))
                .isEqualTo(json("{\"object_id\":\"armchair-oak\",\"kind\":\"rotate\",\"value\":90}"));
        assertThat(props(byType.get("screenshot"))).isEqualTo(json("{\"object_id\":\"armchair-oak\"}"));
        assertThat(props(byType.get("conversion")))
                .isEqualTo(json("{\"cta_id\":\"buy-now\",\"value\":349,\"currency\":\"EUR\"}"));
        assertThat(byType.get("custom").get("event_name")).isEqualTo("color_changed");
        assertThat(props(byType.get("custom"))).isEqualTo(json("{\"color\":\"walnut\",\"tone\":3}"));

        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("visitor_id")).isEqualTo(visitor);
            assertThat(r.get("session_id")).isEqualTo(rows.get(0).get("session_id"));
            assertThat(r.get("user_id")).isEqualTo("user-1");
            assertThat(r.get("os")).isEqualTo("Android");
            assertThat(r.get("os_version")).isEqualTo("14");
            assertThat(r.get("device_model")).isEqualTo("Pixel 8");
            assertThat(r.get("device_type")).isEqualTo("phone");
            assertThat(r.get("app_version")).isEqualTo("2.3");
            assertThat(r.get("app_build")).isEqualTo("41");
            assertThat(r.get("locale")).isEqualTo("de-DE");
            assertThat(r.get("consent_analytics")).isEqualTo(true);
            assertThat(r.get("consent_ads")).isEqualTo(true);
            assertThat(((Timestamp) r.get("occurred_at")).toInstant()).isBetween(before, Instant.now());
        });
        assertThat(rows.stream().map(r -> r.get("event_id")).distinct()).hasSize(6);
        assertThat(rows.get(0).get("session_id")).isNotNull();
    }

    /** Needs the screen_view type of issue 17's views part: passes once that branch is merged. */
    @Test
    void a_screen_is_a_screen_view_with_its_name_and_properties() throws Exception {
        try (Sightline sdk = client().build()) {
            sdk.screen("Catalog", Map.of("path", "/catalog", "title", "Chairs"));
            assertThat(sdk.flush(WAIT)).isTrue();
            assertThat(sdk.rejectedEvents()).as("the server knows screen_view").isZero();
        }
        List<Map<String, Object>> rows = stored();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("event_type")).isEqualTo("screen_view");
        assertThat(props(rows.get(0))).isEqualTo(json("{\"name\":\"Catalog\",\"path\":\"/catalog\",\"title\":\"Chairs\"}"));
    }

    @Test
    void without_analytics_consent_nothing_is_queued_and_the_choice_outlives_a_restart() throws Exception {
        try (Sightline sdk = client().build()) {
            sdk.setAnalyticsConsent(false);
            sdk.qrScan("poster-1");
            sdk.custom("ignored", null);
            assertThat(sdk.awaitWritten(WAIT)).isTrue();
            assertThat(sdk.queuedEvents()).isZero();
        }
        try (Sightline sdk = client().analyticsConsent(true).build()) {
            sdk.qrScan("poster-2");
            assertThat(sdk.awaitWritten(WAIT)).isTrue();
            assertThat(sdk.queuedEvents()).as("the stored refusal wins over the builder's default").isZero();
            sdk.setAnalyticsConsent(true);
            sdk.qrScan("poster-3");
            assertThat(sdk.flush(WAIT)).isTrue();
        }
        List<Map<String, Object>> rows = stored();
        assertThat(rows).extracting(r -> props(r).get("qr_code_id").asText()).containsExactly("poster-3");
    }

    @Test
    void ads_consent_goes_with_each_event_as_it_was_when_the_event_happened() throws Exception {
        try (Sightline sdk = client().build()) {
            sdk.custom("no_choice_yet", null);
            sdk.setAdsConsent(true);
            sdk.custom("granted", null);
            sdk.setAdsConsent(false);
            sdk.custom("withdrawn", null);
            assertThat(sdk.flush(WAIT)).isTrue();
        }
        Map<Object, Object> ads = stored().stream().collect(Collectors.toMap(
                r -> r.get("event_name"), r -> String.valueOf(r.get("consent_ads"))));
        assertThat(ads).containsEntry("granted", "true").containsEntry("withdrawn", "false")
                .containsEntry("no_choice_yet", "false"); // the server's default when the client says nothing
    }

    @Test
    void an_invalid_event_is_counted_as_rejected_and_its_batch_siblings_are_stored() throws Exception {
        Map<String, Object> tooLong = new LinkedHashMap<>();
        tooLong.put("k".repeat(65), 1); // property keys are at most 64 characters
        try (Sightline sdk = client().maxBatch(10).build()) {
            sdk.custom("valid_before", null);
            sdk.custom("invalid", tooLong);
            sdk.custom("valid_after", null);
            assertThat(sdk.flush(WAIT)).isTrue();
            assertThat(sdk.rejectedEvents()).isEqualTo(1);
            assertThat(sdk.sentEvents()).isEqualTo(2);
        }
        assertThat(stored()).extracting(r -> r.get("event_name"))
                .containsExactlyInAnyOrder("valid_before", "valid_after");
    }

    @Test
    void events_from_many_threads_at_once_each_arrive_once() throws Exception {
        int threads = 4;
        int perThread = 250;
        try (Sightline sdk = client().maxBatch(100).build()) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        sdk.custom("concurrent", Map.of("seq", thread * perThread + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(sdk.flush(WAIT)).isTrue();
        }
        List<Map<String, Object>> rows = stored();
        assertThat(rows).hasSize(threads * perThread);
        assertThat(rows.stream().map(r -> r.get("seq")).distinct()).hasSize(threads * perThread);
    }

    @Test
    void the_visitor_id_and_the_user_are_kept_in_the_storage_folder() throws Exception {
        String visitor;
        try (Sightline sdk = client().build()) {
            visitor = sdk.visitorId();
            sdk.identify("user-9");
        }
        try (Sightline sdk = client().build()) {
            assertThat(sdk.visitorId()).isEqualTo(visitor);
            sdk.custom("after_restart", null);
            assertThat(sdk.flush(WAIT)).isTrue();
        }
        Map<String, Object> row = stored().get(0);
        assertThat(row.get("visitor_id")).isEqualTo(visitor);
        assertThat(row.get("user_id")).isEqualTo("user-9");
    }

    @Test
    void a_second_client_on_the_same_folder_is_refused_while_the_first_is_open() throws Exception {
        try (Sightline first = client().build()) {
            assertThatThrownBy(() -> client().build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another Sightline client");
            assertThat(first.visitorId()).isNotEmpty();
        }
        client().build().close(); // free again once the first one closed
    }

    @Test
    void a_wrong_write_key_refuses_the_batch_which_is_counted_and_not_sent_again() throws Exception {
        try (Sightline sdk = Sightline.builder("wk_not_a_key", server.uri("")).storage(storage)
                .flushInterval(Duration.ofMillis(100)).build()) {
            sdk.qrScan("poster-1");
            assertThat(sdk.flush(WAIT)).isTrue();
            assertThat(sdk.rejectedEvents()).isEqualTo(1);
            assertThat(sdk.queuedEvents()).isZero();
        }
        assertThat(stored()).isEmpty();
    }

    private static JsonNode props(Map<String, Object> row) {
        return json((String) row.get("properties"));
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
