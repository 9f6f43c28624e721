package io.sightline.ingest;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdsTest {

    @Test
    void gives_the_same_message_the_same_version_5_id_every_time() {
        UUID id = MessageIds.eventId(7, "segment", "ajs-next-1700000000000-abc");
        assertThat(MessageIds.eventId(7, "segment", "ajs-next-1700000000000-abc")).isEqualTo(id);
        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void keeps_apps_protocols_and_ambiguous_splits_apart() {
        UUID id = MessageIds.eventId(7, "segment", "m-1");
        assertThat(MessageIds.eventId(8, "segment", "m-1")).isNotEqualTo(id);
        assertThat(MessageIds.eventId(7, "umami", "m-1")).isNotEqualTo(id);
        assertThat(MessageIds.eventId(7, "segmentm", "-1")).isNotEqualTo(MessageIds.eventId(7, "segment", "m-1"));
        assertThat(MessageIds.eventId(7, "segment", "M-1")).isNotEqualTo(id);
    }
}
