package io.sightline.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writes_the_native_event_fields_and_the_context() throws Exception {
        SightlineBuilder b = Sightline.builder("wk", URI.create("http://localhost")).app("2.3", "41")
                .device("Android", "14", "Pixel 8", "phone").locale(Locale.GERMANY);
        PendingEvent e = new PendingEvent("qr_scan", null, new Object[] {"qr_code_id", "poster-7"}, 1_700_000_000_123L,
                "user-1", Boolean.FALSE);
        JsonNode json = JSON.readTree(new EventEncoder(b).encode(e, "id-1", "visitor-1", "session-1"));

        assertThat(json.get("event_id").asText()).isEqualTo("id-1");
        assertThat(json.get("type").asText()).isEqualTo("qr_scan");
        assertThat(json.has("name")).isFalse();
        assertThat(json.get("occurred_at").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(json.get("visitor_id").asText()).isEqualTo("visitor-1");
        assertThat(json.get("session_id").asText()).isEqualTo("session-1");
        assertThat(json.get("user_id").asText()).isEqualTo("user-1");
        assertThat(json.get("properties").toString()).isEqualTo("{\"qr_code_id\":\"poster-7\"}");
        assertThat(json.get("context").toString()).isEqualTo("{\"app\":{\"version\":\"2.3\",\"build\":\"41\"},"
                + "\"device\":{\"os\":\"Android\",\"os_version\":\"14\",\"model\":\"Pixel 8\",\"type\":\"phone\"},"
                + "\"locale\":\"de-DE\",\"consent\":{\"analytics\":true,\"ads\":false}}");
    }

    @Test
    void leaves_out_what_is_not_known() throws Exception {
        SightlineBuilder b = Sightline.builder("wk", URI.create("http://localhost")).device(null, null, null, null)
                .locale(null);
        PendingEvent e = new PendingEvent("custom", "opened", new Object[0], 0, null, null);
        JsonNode json = JSON.readTree(new EventEncoder(b).encode(e, "id", "v", "s"));
        assertThat(json.get("name").asText()).isEqualTo("opened");
        assertThat(json.has("user_id")).isFalse();
        assertThat(json.get("properties").size()).isZero();
        assertThat(json.get("context").toString()).isEqualTo("{\"consent\":{\"analytics\":true}}");
    }

    @Test
    void escapes_every_string_so_that_any_text_round_trips() throws Exception {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 sep\u2028 emoji\uD83D\uDE00 é";
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(nasty, nasty);
        props.put("nested", Map.of("list", List.of(1, 2.5, true)));
        props.put("nan", Double.NaN);
        props.put("whole", 3.0);
        props.put("array", new int[] {1, 2});
        StringBuilder sb = new StringBuilder();
        new JsonWriter(sb).value(props);

        JsonNode json = JSON.readTree(sb.toString());
        assertThat(json.get(nasty).asText()).isEqualTo(nasty);
        assertThat(json.get("nested").toString()).isEqualTo("{\"list\":[1,2.5,true]}");
        assertThat(json.get("nan").isNull()).isTrue();
        assertThat(json.get("whole").asText()).isEqualTo("3");
        assertThat(json.get("array").toString()).isEqualTo("[1,2]");
        assertThat(sb.toString()).doesNotContain("\u2028").doesNotContain("\u0000");
        assertThat(new String(sb.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(sb.toString());
    }

    @Test
    void reads_the_rejected_items_of_a_batch_answer() {
        assertThat(Sender.rejectedCount("{\"accepted\":2,\"rejected\":[{\"index\":1,\"code\":\"missing_field\","
                + "\"field\":\"properties.object_id\",\"message\":\"a ] and \\\"index\\\": in text\"}],\"dropped\":[]}"))
                .isEqualTo(1);
        assertThat(Sender.rejectedCount("{\"accepted\":2,\"rejected\":[],\"dropped\":[{\"index\":0,\"reason\":\"bot\"}]}"))
                .isZero();
        assertThat(Sender.rejectedCount("not json")).isZero();
    }

    @Test
    void retry_delays_grow_stay_within_their_bounds_and_honour_retry_after() {
        Backoff b = new Backoff(100, 1_000, new java.util.Random(7));
        for (int i = 0; i < 50; i++) {
            assertThat(b.delay(0, 0)).isBetween(50L, 100L);
            assertThat(b.delay(2, 0)).isBetween(200L, 400L);
            assertThat(b.delay(30, 0)).isBetween(500L, 1_000L);
            assertThat(b.delay(0, 5_000)).isEqualTo(5_000L);
        }
        assertThat(HttpTransport.retryAfter("3")).isEqualTo(3_000);
        assertThat(HttpTransport.retryAfter("soon")).isZero();
        assertThat(HttpTransport.retryAfter(null)).isZero();
    }
}
