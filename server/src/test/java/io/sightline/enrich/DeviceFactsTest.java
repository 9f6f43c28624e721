package io.sightline.enrich;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceFactsTest {

    @Test
    void turns_blank_values_into_unknown() {
        assertThat(new DeviceFacts("", " ", null, "\t", "", "", false)).isEqualTo(DeviceFacts.UNKNOWN);
    }

    @Test
    void cuts_values_to_64_characters() {
        DeviceFacts facts = new DeviceFacts("o".repeat(65), null, null, "m".repeat(64), null, null, false);

        assertThat(facts.os()).isEqualTo("o".repeat(64));
        assertThat(facts.deviceModel()).isEqualTo("m".repeat(64));
    }

    @Test
    void never_cuts_a_character_outside_the_basic_plane_in_half() {
        String model = "m".repeat(63) + "\uD83D\uDCF1"; // 63 letters and a phone emoji, 65 chars

        assertThat(new DeviceFacts(null, null, null, model, null, null, false).deviceModel())
                .isEqualTo("m".repeat(63));
    }
}
