package io.sightline.bench.forward;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventIdsTest {
    private static final UUID A = UUID.fromString("0b6f4b8e-2a52-4d0c-9a35-6a1c3f2e7d01");
    private static final UUID B = UUID.fromString("9d7c1a52-3e4f-4b6a-8c2d-1f0e9a8b7c6d");

    @Test
    void reads_each_platforms_dedup_key_in_order() throws Exception {
        assertThat(EventIds.META.of(EventIds.parse(bytes("{\"data\":[{\"event_name\":\"Purchase\",\"event_id\":\"" + A
                + "\"},{\"event_id\":\"" + B + "\"}],\"access_token\":\"t\"}")))).containsExactly(A, B);
        assertThat(EventIds.GOOGLE_ADS.of(EventIds.parse(bytes("{\"conversions\":[{\"gclid\":\"g\",\"orderId\":\"" + B
                + "\"}],\"partialFailure\":true}")))).containsExactly(B);
        assertThat(EventIds.LINKEDIN.of(EventIds.parse(bytes("{\"elements\":[{\"eventId\":\"" + A + "\"}]}"))))
                .containsExactly(A);
        assertThat(EventIds.X.of(EventIds.parse(bytes("{\"conversions\":[{\"event_id\":\"tw-o8z6j-o87ne\","
                + "\"conversion_id\":\"" + A + "\"}]}")))).containsExactly(A);
    }

    @Test
    void refuses_a_body_it_cannot_account_for() throws Exception {
        assertThatThrownBy(() -> EventIds.META.of(EventIds.parse(bytes("{\"data\":[]}")))).hasMessageContaining("data");
        assertThatThrownBy(() -> EventIds.META.of(EventIds.parse(bytes("{\"events\":[{\"event_id\":\"" + A + "\"}]}"))))
                .hasMessageContaining("data");
        assertThatThrownBy(() -> EventIds.X.of(EventIds.parse(bytes("{\"conversions\":[{\"conversion_id\":\"" + A
                + "\"},{\"event_id\":\"tw-o8z6j-o87ne\"}]}")))).hasMessageContaining("conversions[1].conversion_id");
        assertThatThrownBy(() -> EventIds.LINKEDIN.of(EventIds.parse(bytes("{\"elements\":[{\"eventId\":\"order-7\"}]}"))))
                .hasMessageContaining("not a UUID");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
