package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FunnelApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Instant T = Instant.parse("2026-11-19T10:00:00Z");
    private static final String FUNNEL = "/api/v1/apps/1/stats/funnel?from=2026-11-19&to=2026-11-19"
            + "&steps=qr_scan,placement,interaction,conversion";
    private static TestServer server;

    /**
     * Eight visitors, each in one session except v8. With steps qr_scan, placement, interaction, conversion and a
     * window of 1 h, by hand: v1 does all four; v2 three; v3 skips placement, so only step 1; v4's placement
     * comes 61 min after its scan, outside the window; v5's first placement precedes its scan and only the later
     * one counts; v6 never scans; v7's placement lands exactly on the window's end (it counts); v8 scans in one
     * session and places in another.
     */
    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("SIGHTLINE_DEVICE_DETECTION", "false"), Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> events = new ArrayList<>();
        visitor(events, "v1", "qr_scan", 0, "placement", 5, "interaction", 10, "conversion", 20);
        events.add(event("v1", "v1-s", "custom", 15));
        visitor(events, "v2", "qr_scan", 0, "placement", 10, "interaction", 30);
        visitor(events, "v3", "qr_scan", 0, "interaction", 5, "conversion", 6);
        visitor(events, "v4", "qr_scan", 0, "placement", 61);
        visitor(events, "v5", "placement", 0, "qr_scan", 1, "placement", 2);
        visitor(events, "v6", "conversion", 0);
        visitor(events, "v7", "qr_scan", 0, "placement", 60);
        events.add(event("v8", "v8-a", "qr_scan", 0));
        events.add(event("v8", "v8-b", "placement", 5));
        // Two days earlier: w1 scans at 05:59 and places at 06:01, across a boundary of the 6-hour read chunks;
        // w2 scans at 23:50 and places at 00:20 the next day, after the range but within the window.
        visitor(events, "w1", "qr_scan", -3121, "placement", -3119);
        visitor(events, "w2", "qr_scan", -2050, "placement", -2020);
        HttpResponse<String> stored = server.ingest("/api/v1/analytics/batch", "{\"events\":[" + String.join(",", events) + "]}");
        assertThat(stored.body()).contains("\"accepted\":" + events.size());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void counts_visitors_who_did_the_steps_in_order_within_the_window() throws Exception {
        JsonNode steps = get(FUNNEL + "&window=1h").get("steps");
        assertThat(steps.findValuesAsText("step")).containsExactly("qr_scan", "placement", "interaction", "conversion");
        assertThat(counts(steps)).containsExactly(7L, 5L, 2L, 1L);
        assertThat(steps.get(0).get("conversion_from_previous").isNull()).isTrue();
        assertThat(steps.get(1).get("conversion_from_previous").asDouble()).isCloseTo(5 / 7.0, within(1e-9));
        assertThat(steps.get(2).get("conversion_from_previous").asDouble()).isCloseTo(2 / 5.0, within(1e-9));
        assertThat(steps.get(3).get("conversion_from_first").asDouble()).isCloseTo(1 / 7.0, within(1e-9));
        // placement after qr_scan: 300 s (v1), 600 (v2), 60 (v5), 3600 (v7), 300 (v8); interaction: 300, 1200
        assertThat(steps.get(0).get("median_seconds_from_previous").isNull()).isTrue();
        assertThat(steps.get(1).get("median_seconds_from_previous").asDouble()).isEqualTo(300.0);
        assertThat(steps.get(2).get("median_seconds_from_previous").asDouble()).isEqualTo(750.0);
        assertThat(steps.get(3).get("median_seconds_from_previous").asDouble()).isEqualTo(600.0);
    }

    @Test
    void a_shorter_window_drops_the_steps_that_come_later_than_it() throws Exception {
        // 10 min: v2's placement (10 min) still counts, its interaction (30 min) and v7's placement do not
        JsonNode steps = get(FUNNEL + "&window=PT10M").get("steps");
        assertThat(counts(steps)).containsExactly(7L, 4L, 1L, 0L);
        assertThat(steps.get(3).get("median_seconds_from_previous").isNull()).isTrue();
    }

    @Test
    void counts_sessions_when_asked_so_a_funnel_split_over_two_sessions_stops_at_its_first_step() throws Exception {
        JsonNode funnel = get(FUNNEL + "&window=1h&count=sessions");
        assertThat(funnel.get("count").asText()).isEqualTo("sessions");
        assertThat(counts(funnel.get("steps"))).containsExactly(7L, 4L, 2L, 1L);
    }

    @Test
    void a_custom_step_is_named_custom_colon_its_name() throws Exception {
        JsonNode steps = get("/api/v1/apps/1/stats/funnel?from=2026-11-19&to=2026-11-19"
                + "&steps=qr_scan,custom:color_changed").get("steps");
        assertThat(counts(steps)).containsExactly(7L, 1L);
        assertThat(steps.get(1).get("median_seconds_from_previous").asDouble()).isEqualTo(900.0);
        assertThat(counts(get("/api/v1/apps/1/stats/funnel?from=2026-11-19&to=2026-11-19"
                + "&steps=qr_scan,custom:other").get("steps"))).containsExactly(7L, 0L);
    }

    @Test
    void a_common_filter_narrows_the_funnel_and_a_range_without_the_events_is_empty() throws Exception {
        assertThat(counts(get(FUNNEL + "&filter=event_name:eq:nothing-has-this").get("steps")))
                .containsExactly(0L, 0L, 0L, 0L);
        assertThat(counts(get("/api/v1/apps/1/stats/funnel?from=2026-11-18&to=2026-11-18"
                + "&steps=qr_scan,placement").get("steps"))).containsExactly(0L, 0L);
    }

    @Test
    void steps_across_read_chunks_and_past_the_range_end_within_the_window_count() throws Exception {
        assertThat(FunnelService.CHUNK_HOURS).isEqualTo(6);
        JsonNode steps = get("/api/v1/apps/1/stats/funnel?from=2026-11-17&to=2026-11-17&tz=UTC&window=1h"
                + "&steps=qr_scan,placement").get("steps");
        assertThat(counts(steps)).containsExactly(2L, 2L);
        assertThat(steps.get(1).get("median_seconds_from_previous").asDouble()).isEqualTo((120 + 1_800) / 2.0);
    }

    @Test
    void refuses_bad_funnel_parameters_naming_each() throws Exception {
        String base = "/api/v1/apps/1/stats/funnel?";
        assertError(base + "window=1h", "steps");
        assertError(base + "steps=qr_scan", "steps");
        assertError(base + "steps=" + String.join(",", java.util.Collections.nCopies(9, "qr_scan")), "steps");
        assertError(base + "steps=qr_scan,teleport", "steps");
        assertError(base + "steps=qr_scan,custom:", "steps");
        assertError(base + "steps=qr_scan,placement&window=31d", "window");
        assertError(base + "steps=qr_scan,placement&window=0s", "window");
        assertError(base + "steps=qr_scan,placement&window=soon", "window");
        assertError(base + "steps=qr_scan,placement&count=users", "count");
        assertError(base + "steps=qr_scan,placement&event_type=qr_scan", "event_type");
        assertError(base + "steps=qr_scan,placement&filter=planet:eq:mars", "filter");
        assertThat(server.get("/api/v1/apps/999/stats/funnel?steps=qr_scan,placement",
                Map.of("Authorization", "Bearer " + server.adminToken())).statusCode()).isEqualTo(404);
    }

    @Test
    void needs_a_token_and_refuses_the_write_key() {
        assertThat(server.get(FUNNEL, Map.of()).statusCode()).isEqualTo(401);
        assertThat(server.get(FUNNEL, Map.of("X-Write-Key", server.writeKey())).statusCode()).isEqualTo(401);
    }

    private static void visitor(List<String> events, String visitor, Object... typesAndMinutes) {
        for (int i = 0; i < typesAndMinutes.length; i += 2) {
            events.add(event(visitor, visitor + "-s", (String) typesAndMinutes[i], (Integer) typesAndMinutes[i + 1]));
        }
    }

    private static String event(String visitor, String session, String type, int minutes) {
        String properties = switch (type) {
            case "qr_scan" -> "{\"qr_code_id\":\"poster\"}";
            case "placement" -> "{\"object_id\":\"chair\"}";
            case "interaction" -> "{\"object_id\":\"chair\",\"kind\":\"tap\"}";
            case "conversion" -> "{\"cta_id\":\"buy\"}";
            default -> "{}";
        };
        String name = type.equals("custom") ? ",\"name\":\"color_changed\"" : "";
        return "{\"type\":\"" + type + "\"" + name + ",\"visitor_id\":\"" + visitor + "\",\"session_id\":\"" + session
                + "\",\"occurred_at\":\"" + T.plus(Duration.ofMinutes(minutes)) + "\",\"properties\":" + properties + "}";
    }

    private static List<Long> counts(JsonNode steps) {
        List<Long> counts = new ArrayList<>();
        steps.forEach(step -> counts.add(step.get("count").asLong()));
        return counts;
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = server.get(path, Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void assertError(String path, String field) throws Exception {
        HttpResponse<String> response = server.get(path, Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/field").asText()).as(path).isEqualTo(field);
    }
}
