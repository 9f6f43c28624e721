package io.sightline.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Map;

import static io.sightline.event.Events.accepted;
import static io.sightline.event.Events.json;
import static io.sightline.event.Events.minimal;
import static io.sightline.event.Events.rejected;
import static io.sightline.event.Events.repeat;
import static io.sightline.event.Events.with;
import static org.assertj.core.api.Assertions.assertThat;

class PropertyLimitsTest {

    private static ObjectNode custom(String propertiesJson) {
        return json("{'type':'custom','name':'n','properties':" + propertiesJson + "}");
    }

    private static ObjectNode customWith(String key, Object value) {
        return with(minimal(EventType.CUSTOM), "properties." + key, value);
    }

    private static ObjectNode withKeys(int count) {
        ObjectNode event = minimal(EventType.CUSTOM);
        ObjectNode properties = event.putObject("properties");
        for (int i = 0; i < count; i++) {
            properties.put("k" + i, i);
        }
        return event;
    }

    private static ArrayNode array(int items) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < items; i++) {
            array.add(i);
        }
        return array;
    }

    @Test
    void serializes_properties_compactly_in_the_clients_key_order() {
        Event event = accepted(custom("{ 'z' : 1, 'a' : [ true, null, 'x' ], 'm' : { 'b' : 2.5 } }"));

        assertThat(event.propertiesJson()).isEqualTo("{\"z\":1,\"a\":[true,null,\"x\"],\"m\":{\"b\":2.5}}");
    }

    @Test
    void accepts_50_keys_and_rejects_51() {
        accepted(withKeys(50));

        assertThat(rejected(withKeys(51))).isEqualTo(new Violation("too_many_items", "properties",
                "properties must have at most 50 keys, got 51"));
    }

    @Test
    void accepts_a_key_of_64_characters_and_rejects_65() {
        accepted(customWith(repeat('k', 64), 1));

        Violation v = rejected(customWith(repeat('k', 65), 1));
        assertThat(v.code()).isEqualTo("too_long");
        assertThat(v.field()).isEqualTo("properties." + repeat('k', 64));
    }

    @Test
    void rejects_an_empty_key() {
        Violation v = rejected(custom("{'':1}"));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("properties");
    }

    @Test
    void rejects_a_key_with_a_control_character() {
        Violation v = rejected(customWith("bad\tkey", 1));

        assertThat(v.code()).isEqualTo("invalid_character");
        assertThat(v.field()).isEqualTo("properties.bad?key");
    }

    @Test
    void rejects_a_nested_key_with_an_unpaired_surrogate() {
        ObjectNode event = minimal(EventType.CUSTOM);
        event.putObject("properties").putObject("outer").put("\uDC00", 1);

        Violation v = rejected(event);

        assertThat(v.code()).isEqualTo("invalid_character");
        assertThat(v.field()).isEqualTo("properties.outer.?");
    }

    @Test
    void accepts_a_string_value_of_1000_characters_and_rejects_1001() {
        accepted(customWith("note", repeat('v', 1000)));

        assertThat(rejected(customWith("note", repeat('v', 1001)))).isEqualTo(new Violation("too_long",
                "properties.note", "properties.note must be at most 1000 characters"));
    }

    @Test
    void rejects_a_nul_character_deep_inside_properties_naming_its_path() {
        Violation v = rejected(custom("{'tags':['a','b','c\\u0000']}"));

        assertThat(v.code()).isEqualTo("invalid_character");
        assertThat(v.field()).isEqualTo("properties.tags.2");
    }

    @Test
    void accepts_properties_nested_three_levels_deep() {
        accepted(custom("{'a':{'b':{'c':1,'d':null}}}"));
        accepted(custom("{'a':[[1,2],{'c':null}]}"));
    }

    @Test
    void rejects_properties_nested_deeper_than_three_levels() {
        Violation v = rejected(custom("{'a':{'b':{'c':{}}}}"));

        assertThat(v.code()).isEqualTo("too_deep");
        assertThat(v.field()).isEqualTo("properties.a.b.c");
    }

    @Test
    void rejects_arrays_nested_deeper_than_three_levels() {
        Violation v = rejected(custom("{'a':[1,[2,[3]]]}"));

        assertThat(v.code()).isEqualTo("too_deep");
        assertThat(v.field()).isEqualTo("properties.a.1.1");
    }

    @Test
    void accepts_an_array_of_50_items_and_rejects_51() {
        accepted(customWith("list", array(50)));

        assertThat(rejected(customWith("list", array(51)))).isEqualTo(new Violation("too_many_items",
                "properties.list", "properties.list must have at most 50 items, got 51"));
    }

    @Test
    void limits_nested_arrays_too() {
        assertThat(rejected(customWith("outer", Map.of("inner", array(51)))).field()).isEqualTo("properties.outer.inner");
    }

    @Test
    void accepts_numbers_up_to_a_quadrillion_in_magnitude() {
        accepted(customWith("big", 1e15));
        accepted(customWith("small", -1e15));
        accepted(customWith("long", 1_000_000_000_000_000L));
    }

    @Test
    void rejects_numbers_beyond_a_quadrillion_in_magnitude() {
        assertThat(rejected(customWith("big", 1_000_000_000_000_001L)).code()).isEqualTo("out_of_range");
        assertThat(rejected(customWith("small", -1.0000001e15)).code()).isEqualTo("out_of_range");
        assertThat(rejected(customWith("huge", BigInteger.TEN.pow(40))).field()).isEqualTo("properties.huge");
        assertThat(rejected(custom("{'inf':1e999}")).code()).isEqualTo("out_of_range");
    }

    @Test
    void rejects_a_number_that_is_not_finite() {
        ObjectNode event = minimal(EventType.CUSTOM);
        event.putObject("properties").putArray("xs").add(DoubleNode.valueOf(Double.NaN));

        assertThat(rejected(event)).isEqualTo(new Violation("invalid_value", "properties.xs.0",
                "properties.xs.0 must be a finite number"));
    }

    @Test
    void allows_null_values_at_every_level() {
        assertThat(accepted(custom("{'a':null,'b':[null],'c':{'d':null}}")).propertiesJson())
                .isEqualTo("{\"a\":null,\"b\":[null],\"c\":{\"d\":null}}");
    }

    /** Sixteen strings of 1000 characters plus one padding string, so no single value breaks its own limit. */
    private static ObjectNode ofSerializedSize(int bytes) {
        ObjectNode event = minimal(EventType.CUSTOM);
        ObjectNode properties = event.putObject("properties");
        for (int i = 0; i < 16; i++) {
            properties.put("k" + i, repeat('v', 1000));
        }
        int padding = bytes - properties.toString().length() - ",\"pad\":\"\"".length();
        properties.put("pad", repeat('v', padding));
        return event;
    }

    @Test
    void accepts_serialized_properties_of_exactly_16384_bytes() {
        assertThat(accepted(ofSerializedSize(16384)).propertiesJson()).hasSize(16384);
    }

    @Test
    void rejects_serialized_properties_of_16385_bytes() {
        assertThat(rejected(ofSerializedSize(16385))).isEqualTo(new Violation("too_large", "properties",
                "properties must be at most 16384 bytes as UTF-8 JSON"));
    }

    @Test
    void counts_the_size_of_properties_in_utf8_bytes() {
        ObjectNode event = minimal(EventType.CUSTOM);
        ObjectNode properties = event.putObject("properties");
        for (int i = 0; i < 6; i++) {
            properties.put("k" + i, "\u20AC".repeat(1000)); // three bytes each: 18000 bytes in 6000 chars
        }

        assertThat(rejected(event).code()).isEqualTo("too_large");
    }

    @Test
    void walks_properties_in_the_clients_order() {
        assertThat(rejected(custom("{'b':'" + repeat('x', 1001) + "','a':{'b':{'c':{}}}}")).field())
                .isEqualTo("properties.b");
        assertThat(rejected(custom("{'a':{'b':{'c':{}}},'b':'" + repeat('x', 1001) + "'}")).field())
                .isEqualTo("properties.a.b.c");
    }
}
