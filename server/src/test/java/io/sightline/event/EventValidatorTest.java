package io.sightline.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.UUID;

import static io.sightline.event.Events.NOW;
import static io.sightline.event.Events.accepted;
import static io.sightline.event.Events.json;
import static io.sightline.event.Events.minimal;
import static io.sightline.event.Events.rejected;
import static io.sightline.event.Events.repeat;
import static io.sightline.event.Events.with;
import static io.sightline.event.Events.without;
import static org.assertj.core.api.Assertions.assertThat;

class EventValidatorTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void accepts_the_smallest_valid_event_of_every_type(EventType type) {
        Event event = accepted(minimal(type));

        assertThat(event.type()).isEqualTo(type);
        assertThat(event.occurredAt()).isEqualTo(NOW);
    }

    @Test
    void keeps_every_top_level_field_as_given() {
        Event event = accepted(json("{'event_id':'0b3c9a52-6f1e-4c2a-9d1e-5a7b3c9d2e10','type':'placement',"
                + "'name':' Sofa placed ','occurred_at':'2026-11-24T09:00:00Z','session_id':'s-1',"
                + "'visitor_id':'v-1','user_id':'u-1','properties':{'object_id':'sofa'}}"));

        assertThat(event).isEqualTo(new Event(UUID.fromString("0b3c9a52-6f1e-4c2a-9d1e-5a7b3c9d2e10"),
                EventType.PLACEMENT, " Sofa placed ", Instant.parse("2026-11-24T09:00:00Z"), "s-1", "v-1", "u-1",
                "{\"object_id\":\"sofa\"}", event.context()));
    }

    @Test
    void rejects_a_node_that_is_not_an_object() {
        for (JsonNode node : new JsonNode[]{
                JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.textNode("qr_scan"),
                JsonNodeFactory.instance.nullNode(), null}) {
            Violation v = rejected(node);
            assertThat(v.code()).isEqualTo("invalid_type");
            assertThat(v.field()).isNull();
        }
    }

    @Test
    void rejects_an_unknown_top_level_field_naming_it() {
        Violation v = rejected(with(minimal(EventType.QR_SCAN), "timestamp", "2026-11-24T10:00:00Z"));

        assertThat(v.code()).isEqualTo("unknown_field");
        assertThat(v.field()).isEqualTo("timestamp");
        assertThat(v.message()).contains("timestamp", "occurred_at");
    }

    @Test
    void reports_a_misspelt_type_as_unknown_rather_than_missing() {
        Violation v = rejected(json("{'typ':'qr_scan'}"));

        assertThat(v.code()).isEqualTo("unknown_field");
        assertThat(v.field()).isEqualTo("typ");
    }

    @Test
    void generates_an_event_id_when_missing() {
        UUID first = accepted(minimal(EventType.SCREENSHOT)).eventId();
        UUID second = accepted(minimal(EventType.SCREENSHOT)).eventId();

        assertThat(first).isNotEqualTo(second);
        assertThat(first.version()).isEqualTo(4);
    }

    @Test
    void generates_an_event_id_when_it_is_null() {
        assertThat(accepted(with(minimal(EventType.SCREENSHOT), "event_id", null)).eventId()).isNotNull();
    }

    @Test
    void accepts_an_upper_case_event_id_of_any_version() {
        Event event = accepted(with(minimal(EventType.SCREENSHOT), "event_id", "0192D4E2-7B1A-7C3D-8E4F-A1B2C3D4E5F6"));

        assertThat(event.eventId()).isEqualTo(UUID.fromString("0192d4e2-7b1a-7c3d-8e4f-a1b2c3d4e5f6"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-2-3-4-5", "0b3c9a526f1e4c2a9d1e5a7b3c9d2e10", "0b3c9a52-6f1e-4c2a-9d1e-5a7b3c9d2e1",
            "0b3c9a52-6f1e-4c2a-9d1e-5a7b3c9d2e10a", "0b3c9a52-6f1e-4c2a-9d1e-5a7b3c9d2e1g", "{0b3c9a52-6f1e-4c2a-9d1e-5a7b3c9d2e}",
            "0b3c9a52+6f1e-4c2a-9d1e-5a7b3c9d2e10", ""})
    void rejects_an_event_id_that_is_not_a_canonical_uuid(String id) {
        Violation v = rejected(with(minimal(EventType.SCREENSHOT), "event_id", id));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("event_id");
    }

    @Test
    void rejects_an_event_id_that_is_not_a_string() {
        assertThat(rejected(with(minimal(EventType.SCREENSHOT), "event_id", 42)).code()).isEqualTo("invalid_type");
    }

    @Test
    void rejects_an_event_without_type() {
        Violation v = rejected(without(minimal(EventType.QR_SCAN), "type"));

        assertThat(v).isEqualTo(new Violation("missing_field", "type", v.message()));
        assertThat(v.message()).contains("qr_scan", "custom");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pageview", "QR_SCAN", "Qr_scan", " qr_scan", ""})
    void rejects_an_unknown_event_type(String type) {
        Violation v = rejected(with(minimal(EventType.QR_SCAN), "type", type));

        assertThat(v.code()).isEqualTo("unknown_event_type");
        assertThat(v.field()).isEqualTo("type");
    }

    @Test
    void rejects_a_type_that_is_not_a_string() {
        assertThat(rejected(with(minimal(EventType.QR_SCAN), "type", 1)).code()).isEqualTo("invalid_type");
    }

    @Test
    void rejects_a_custom_event_without_name() {
        Violation v = rejected(without(minimal(EventType.CUSTOM), "name"));

        assertThat(v).isEqualTo(new Violation("missing_field", "name", "name is required for custom events"));
    }

    @Test
    void accepts_an_optional_name_on_other_types() {
        assertThat(accepted(with(minimal(EventType.SCREENSHOT), "name", "share")).name()).isEqualTo("share");
        assertThat(accepted(minimal(EventType.SCREENSHOT)).name()).isNull();
    }

    @Test
    void accepts_a_name_of_100_characters_and_rejects_101() {
        assertThat(accepted(with(minimal(EventType.CUSTOM), "name", repeat('n', 100))).name()).hasSize(100);

        Violation v = rejected(with(minimal(EventType.CUSTOM), "name", repeat('n', 101)));
        assertThat(v.code()).isEqualTo("too_long");
        assertThat(v.field()).isEqualTo("name");
    }

    @Test
    void rejects_an_empty_name() {
        assertThat(rejected(with(minimal(EventType.CUSTOM), "name", "")).code()).isEqualTo("invalid_value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"session_id", "visitor_id", "user_id"})
    void accepts_an_id_of_1_and_128_characters(String field) {
        accepted(with(minimal(EventType.SCREENSHOT), field, "a"));
        accepted(with(minimal(EventType.SCREENSHOT), field, repeat('a', 128)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"session_id", "visitor_id", "user_id"})
    void rejects_an_id_of_129_characters(String field) {
        assertThat(rejected(with(minimal(EventType.SCREENSHOT), field, repeat('a', 129))))
                .isEqualTo(new Violation("too_long", field, field + " must be at most 128 characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"session_id", "visitor_id", "user_id"})
    void rejects_an_empty_id_instead_of_dropping_it(String field) {
        Violation v = rejected(with(minimal(EventType.SCREENSHOT), field, ""));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"session_id", "visitor_id", "user_id"})
    void rejects_an_id_that_is_not_a_string(String field) {
        assertThat(rejected(with(minimal(EventType.SCREENSHOT), field, 7)).code()).isEqualTo("invalid_type");
    }

    @Test
    void stores_ids_without_trimming() {
        assertThat(accepted(with(minimal(EventType.SCREENSHOT), "user_id", " u 1 ")).userId()).isEqualTo(" u 1 ");
    }

    @Test
    void reports_the_first_top_level_field_before_properties_and_context() {
        ObjectNode event = json("{'type':'qr_scan','session_id':'','properties':{},'context':{'colour':1}}");

        assertThat(rejected(event).field()).isEqualTo("session_id");
        assertThat(rejected(without(event, "session_id")).field()).isEqualTo("properties.qr_code_id");
        assertThat(rejected(with(event, "properties.qr_code_id", "qr")).field()).isEqualTo("context.colour");
    }

    @Test
    void treats_null_optional_fields_as_absent() {
        Event event = accepted(json("{'type':'screenshot','name':null,'session_id':null,'occurred_at':null,"
                + "'properties':null,'context':null}"));

        assertThat(event.sessionId()).isNull();
        assertThat(event.occurredAt()).isEqualTo(NOW);
        assertThat(event.propertiesJson()).isEqualTo("{}");
    }
}
