package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.error.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NativeAdapterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Origin ORIGIN = new Origin("203.0.113.7", null, "curl/8", null, null);
    private static final ProtocolAdapter BATCH = NativeAdapter.batch(3);

    @Test
    void reads_a_track_body_as_the_one_event_of_a_single_event_request() throws Exception {
        JsonNode event = JSON.readTree("{\"type\":\"screenshot\"}");

        Incoming incoming = NativeAdapter.TRACK.read(event, ORIGIN);

        assertThat(incoming.single()).isTrue();
        assertThat(incoming.items()).containsExactly(new Incoming.Item(0, event));
        assertThat(incoming.origin()).isSameAs(ORIGIN);
    }

    @Test
    void reads_a_batch_as_its_events_with_their_indexes() throws Exception {
        Incoming incoming = BATCH.read(JSON.readTree("{\"events\":[{\"a\":1},2,{\"c\":3}]}"), ORIGIN);

        assertThat(incoming.single()).isFalse();
        assertThat(incoming.items()).extracting(Incoming.Item::index).containsExactly(0, 1, 2);
        assertThat(incoming.items().get(1).event().asInt()).isEqualTo(2);
    }

    @Test
    void refuses_a_batch_envelope_that_is_not_an_object_of_events() {
        assertRefused("[]", "invalid_type", "the body must be a JSON object {\"events\": [...]}", null);
        assertRefused("{\"items\":[]}", "unknown_field", "unknown field \"items\"; a batch is {\"events\": [...]}",
                "items");
        assertRefused("{}", "missing_field", "events is required", "events");
        assertRefused("{\"events\":{}}", "invalid_type", "events must be an array of event objects", "events");
        assertRefused("{\"events\":[]}", "too_many_items", "events must hold between 1 and 3 events, got 0", "events");
        assertRefused("{\"events\":[1,2,3,4]}", "too_many_items", "events must hold between 1 and 3 events, got 4",
                "events");
    }

    @Test
    void names_at_most_64_characters_of_an_unknown_envelope_field() {
        String name = "x".repeat(100);
        assertRefused("{\"" + name + "\":1}", "unknown_field",
                "unknown field \"" + "x".repeat(64) + "\"; a batch is {\"events\": [...]}", "x".repeat(64));
    }

    private static void assertRefused(String body, String code, String message, String field) {
        IngestRejection e = catchThrowableOfType(IngestRejection.class, () -> BATCH.read(JSON.readTree(body), ORIGIN));
        assertThat(e).as(body).isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.retryAfterSeconds()).isNull();
    }
}
