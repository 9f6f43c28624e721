package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentTranslatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void maps_track_names_by_the_apps_table_then_by_the_five_wire_names_else_custom() {
        Map<String, String> types = Map.of("Product Placed", "placement", "qr_scan", "conversion");
        assertThat(SegmentTranslator.trackType(types, "Product Placed")).isEqualTo("placement");
        assertThat(SegmentTranslator.trackType(types, "qr_scan")).isEqualTo("conversion");
        assertThat(SegmentTranslator.trackType(types, "screenshot")).isEqualTo("screenshot");
        assertThat(SegmentTranslator.trackType(types, "Screenshot")).isEqualTo("custom");
        assertThat(SegmentTranslator.trackType(types, "custom")).isEqualTo("custom");
    }

    @Test
    void moves_the_timestamp_by_the_difference_between_received_and_sent() throws Exception {
        // The device's clock is 2 h fast: it stamped the event at 13:50 and sent it at 14:00, received at 12:00.
        JsonNode m = JSON.readTree("{\"timestamp\":\"2026-11-24T13:50:00Z\",\"sentAt\":\"2026-11-24T14:00:00Z\"}");
        assertThat(SegmentTranslator.occurredAt(m, null, RECEIVED)).isEqualTo(Instant.parse("2026-11-24T11:50:00Z"));
        JsonNode batchSent = JSON.readTree("{\"originalTimestamp\":\"2026-11-24T13:50:00+02:00\"}");
        assertThat(SegmentTranslator.occurredAt(batchSent, "2026-11-24T14:00:00+02:00", RECEIVED))
                .isEqualTo(Instant.parse("2026-11-24T11:50:00Z"));
    }

    @Test
    void takes_a_timestamp_without_sent_at_as_given_and_none_as_the_servers_time() throws Exception {
        assertThat(SegmentTranslator.occurredAt(JSON.readTree("{\"timestamp\":\"2026-11-24T09:00:00.250Z\"}"), null,
                RECEIVED)).isEqualTo(Instant.parse("2026-11-24T09:00:00.250Z"));
        assertThat(SegmentTranslator.occurredAt(JSON.readTree("{\"timestamp\":\"2026-11-24T09:00:00\"}"), null,
                RECEIVED)).isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
        assertThat(SegmentTranslator.occurredAt(JSON.readTree("{}"), null, RECEIVED)).isNull();
        assertThatThrownBy(() -> SegmentTranslator.occurredAt(JSON.readTree("{\"timestamp\":\"yesterday\"}"), null,
                RECEIVED)).isInstanceOf(java.time.DateTimeException.class);
    }
}
