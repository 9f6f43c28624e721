package io.sightline.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class EventTypeTest {

    @Test
    void names_types_in_snake_case_on_the_wire() {
        assertThat(EventType.QR_SCAN.wireName()).isEqualTo("qr_scan");
        assertThat(EventType.CONVERSION.wireName()).isEqualTo("conversion");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void reads_back_every_wire_name(EventType type) {
        assertThat(EventType.fromWire(type.wireName())).contains(type);
    }

    @Test
    void knows_no_type_by_its_java_name_or_by_null() {
        assertThat(EventType.fromWire("QR_SCAN")).isEmpty();
        assertThat(EventType.fromWire(null)).isEmpty();
    }
}
