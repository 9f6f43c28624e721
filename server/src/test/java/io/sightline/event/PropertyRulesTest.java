package io.sightline.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.sightline.event.Events.accepted;
import static io.sightline.event.Events.json;
import static io.sightline.event.Events.minimal;
import static io.sightline.event.Events.rejected;
import static io.sightline.event.Events.repeat;
import static io.sightline.event.Events.with;
import static io.sightline.event.Events.without;
import static org.assertj.core.api.Assertions.assertThat;

class PropertyRulesTest {

    @Test
    void accepts_a_qr_scan_with_campaign() {
        Event event = accepted(json("{'type':'qr_scan','properties':{'qr_code_id':'qr-42','campaign':'winter-sale'}}"));

        assertThat(event.propertiesJson()).isEqualTo("{\"qr_code_id\":\"qr-42\",\"campaign\":\"winter-sale\"}");
    }

    @Test
    void accepts_a_placement_with_surface_and_duration() {
        Event event = accepted(json("{'type':'placement','properties':"
                + "{'object_id':'sofa','surface':'vertical','duration_ms':86400000}}"));

        assertThat(event.propertiesJson()).isEqualTo("{\"object_id\":\"sofa\",\"surface\":\"vertical\",\"duration_ms\":86400000}");
    }

    @Test
    void accepts_an_interaction_of_every_kind_with_value() {
        for (String kind : List.of("tap", "rotate", "scale")) {
            accepted(json("{'type':'interaction','properties':{'object_id':'sofa','kind':'" + kind + "','value':-1.5}}"));
        }
    }

    @Test
    void accepts_a_screenshot_with_and_without_object_id() {
        assertThat(accepted(minimal(EventType.SCREENSHOT)).propertiesJson()).isEqualTo("{}");
        assertThat(accepted(with(minimal(EventType.SCREENSHOT), "properties.object_id", "sofa")).propertiesJson())
                .isEqualTo("{\"object_id\":\"sofa\"}");
    }

    @Test
    void accepts_a_conversion_with_value_and_currency() {
        Event event = accepted(json("{'type':'conversion','properties':{'cta_id':'buy','value':19.99,'currency':'EUR'}}"));

        assertThat(event.propertiesJson()).isEqualTo("{\"cta_id\":\"buy\",\"value\":19.99,\"currency\":\"EUR\"}");
    }

    @Test
    void accepts_a_custom_event_with_its_own_properties() {
        Event event = accepted(json("{'type':'custom','name':'level_up','properties':{'level':3,'hero':'ana','boss':null}}"));

        assertThat(event.name()).isEqualTo("level_up");
        assertThat(event.propertiesJson()).isEqualTo("{\"level\":3,\"hero\":\"ana\",\"boss\":null}");
    }

    @Test
    void allows_custom_keys_on_every_type() {
        accepted(with(minimal(EventType.QR_SCAN), "properties.poster", "lobby"));
        accepted(with(minimal(EventType.CONVERSION), "properties.kind", "anything"));
    }

    @ParameterizedTest
    @CsvSource({"qr_scan,qr_code_id", "placement,object_id", "interaction,object_id", "interaction,kind",
            "conversion,cta_id"})
    void rejects_an_event_without_a_required_property_naming_the_field(String type, String key) {
        ObjectNode event = without(minimal(EventType.fromWire(type).orElseThrow()), "properties." + key);

        assertThat(rejected(event)).isEqualTo(new Violation("missing_field", "properties." + key,
                "properties." + key + " is required for " + type + " events"));
    }

    @Test
    void rejects_a_placement_without_object_id_naming_the_field() {
        Violation v = rejected(json("{'type':'placement'}"));

        assertThat(v.code()).isEqualTo("missing_field");
        assertThat(v.field()).isEqualTo("properties.object_id");
    }

    @Test
    void rejects_a_required_property_that_is_null() {
        assertThat(rejected(with(minimal(EventType.QR_SCAN), "properties.qr_code_id", null)).code())
                .isEqualTo("missing_field");
    }

    @ParameterizedTest
    @CsvSource({"qr_scan,qr_code_id", "placement,object_id", "interaction,object_id", "screenshot,object_id",
            "conversion,cta_id"})
    void accepts_an_id_property_of_128_characters_and_rejects_129(String type, String key) {
        EventType eventType = EventType.fromWire(type).orElseThrow();
        accepted(with(minimal(eventType), "properties." + key, repeat('i', 128)));

        Violation v = rejected(with(minimal(eventType), "properties." + key, repeat('i', 129)));
        assertThat(v.code()).isEqualTo("too_long");
        assertThat(v.field()).isEqualTo("properties." + key);
    }

    @ParameterizedTest
    @CsvSource({"qr_scan,qr_code_id", "placement,object_id", "screenshot,object_id", "conversion,cta_id"})
    void rejects_an_empty_or_non_string_id_property(String type, String key) {
        EventType eventType = EventType.fromWire(type).orElseThrow();

        assertThat(rejected(with(minimal(eventType), "properties." + key, "")).code()).isEqualTo("invalid_value");
        assertThat(rejected(with(minimal(eventType), "properties." + key, 42)).code()).isEqualTo("invalid_type");
    }

    @Test
    void accepts_a_campaign_of_200_characters_and_rejects_201() {
        accepted(with(minimal(EventType.QR_SCAN), "properties.campaign", repeat('c', 200)));

        assertThat(rejected(with(minimal(EventType.QR_SCAN), "properties.campaign", repeat('c', 201))))
                .isEqualTo(new Violation("too_long", "properties.campaign", "properties.campaign must be at most 200 characters"));
    }

    @Test
    void rejects_a_campaign_that_is_not_a_string() {
        assertThat(rejected(with(minimal(EventType.QR_SCAN), "properties.campaign", true)).code()).isEqualTo("invalid_type");
    }

    @Test
    void rejects_an_unknown_surface_even_though_surface_is_optional() {
        Violation v = rejected(with(minimal(EventType.PLACEMENT), "properties.surface", "diagonal"));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("properties.surface");
        assertThat(v.message()).contains("\"diagonal\"", "\"horizontal\"", "\"vertical\"");
    }

    @Test
    void accepts_a_duration_of_zero_and_rejects_a_negative_one() {
        accepted(with(minimal(EventType.PLACEMENT), "properties.duration_ms", 0));

        assertThat(rejected(with(minimal(EventType.PLACEMENT), "properties.duration_ms", -1)))
                .isEqualTo(new Violation("out_of_range", "properties.duration_ms",
                        "properties.duration_ms must be between 0 and 86400000"));
    }

    @Test
    void rejects_a_duration_longer_than_a_day() {
        assertThat(rejected(with(minimal(EventType.PLACEMENT), "properties.duration_ms", 86_400_001)).code())
                .isEqualTo("out_of_range");
    }

    @Test
    void rejects_a_fractional_or_textual_duration() {
        assertThat(rejected(with(minimal(EventType.PLACEMENT), "properties.duration_ms", 10.5)).code())
                .isEqualTo("invalid_value");
        assertThat(rejected(with(minimal(EventType.PLACEMENT), "properties.duration_ms", "10")).code())
                .isEqualTo("invalid_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"swipe", "TAP", ""})
    void rejects_an_interaction_of_an_unknown_kind(String kind) {
        Violation v = rejected(with(minimal(EventType.INTERACTION), "properties.kind", kind));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("properties.kind");
    }

    @Test
    void rejects_an_interaction_value_that_is_not_a_number() {
        assertThat(rejected(with(minimal(EventType.INTERACTION), "properties.value", "1.5")).code())
                .isEqualTo("invalid_type");
    }

    @Test
    void rejects_an_interaction_value_beyond_the_double_range() {
        Violation v = rejected(json("{'type':'interaction','properties':{'object_id':'o','kind':'tap','value':1e400}}"));

        assertThat(v.code()).isEqualTo("out_of_range");
        assertThat(v.field()).isEqualTo("properties.value");
    }

    @Test
    void rejects_a_value_that_is_not_a_number_at_all() {
        assertThat(rejected(with(minimal(EventType.INTERACTION), "properties.value", Double.NaN)).code())
                .isEqualTo("invalid_value");
    }

    @Test
    void accepts_a_conversion_value_of_zero_and_a_trillion() {
        accepted(with(minimal(EventType.CONVERSION), "properties.value", 0));
        accepted(with(minimal(EventType.CONVERSION), "properties.value", 1e12));
    }

    @Test
    void rejects_a_negative_conversion_value() {
        assertThat(rejected(with(minimal(EventType.CONVERSION), "properties.value", -0.01)))
                .isEqualTo(new Violation("out_of_range", "properties.value",
                        "properties.value must be between 0 and 1000000000000"));
    }

    @Test
    void rejects_a_conversion_value_above_a_trillion() {
        assertThat(rejected(with(minimal(EventType.CONVERSION), "properties.value", 1_000_000_000_000.01)).code())
                .isEqualTo("out_of_range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD", "JPY", "CHF"})
    void accepts_a_real_currency_code(String code) {
        accepted(with(minimal(EventType.CONVERSION), "properties.currency", code));
    }

    @Test
    void rejects_lower_case_currency() {
        Violation v = rejected(with(minimal(EventType.CONVERSION), "properties.currency", "eur"));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("properties.currency");
        assertThat(v.message()).contains("\"EUR\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABC", "EURO", "EU", "", "E U"})
    void rejects_a_currency_that_is_not_an_iso_4217_code(String code) {
        assertThat(rejected(with(minimal(EventType.CONVERSION), "properties.currency", code)).code())
                .isEqualTo("invalid_value");
    }

    @Test
    void rejects_properties_that_are_not_an_object() {
        Violation v = rejected(with(minimal(EventType.SCREENSHOT), "properties", List.of("a")));

        assertThat(v.code()).isEqualTo("invalid_type");
        assertThat(v.field()).isEqualTo("properties");
    }

    @Test
    void checks_required_properties_before_custom_limits() {
        ObjectNode event = json("{'type':'qr_scan','properties':{'note':'" + repeat('x', 1001) + "'}}");

        assertThat(rejected(event).field()).isEqualTo("properties.qr_code_id");
    }
}
