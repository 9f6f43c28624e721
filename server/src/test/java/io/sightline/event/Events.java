package io.sightline.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds event JSON for the validator tests, against a clock fixed at {@link #NOW}. */
final class Events {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final EventValidator VALIDATOR = new EventValidator(ValidationLimits.defaults(), CLOCK);

    /** Single quotes keep the JSON in tests readable. */
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    private Events() {
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** The smallest valid event of each type. */
    static ObjectNode minimal(EventType type) {
        return switch (type) {
            case QR_SCAN -> json("{'type':'qr_scan','properties':{'qr_code_id':'qr-1'}}");
            case PLACEMENT -> json("{'type':'placement','properties':{'object_id':'chair-1'}}");
            case INTERACTION -> json("{'type':'interaction','properties':{'object_id':'chair-1','kind':'tap'}}");
            case SCREENSHOT -> json("{'type':'screenshot'}");
            case CONVERSION -> json("{'type':'conversion','properties':{'cta_id':'buy-now'}}");
            case SCREEN_VIEW -> json("{'type':'screen_view','properties':{'name':'Home'}}");
            case CUSTOM -> json("{'type':'custom','name':'level_up'}");
        };
    }

    /** Sets {@code path} (dotted, objects created on the way) to {@code value}: a String, Number, Boolean, JsonNode or null. */
    static ObjectNode with(ObjectNode event, String path, Object value) {
        String[] parts = path.split("\\.");
        ObjectNode parent = event;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            parent = child instanceof ObjectNode object ? object : parent.putObject(parts[i]);
        }
        parent.set(parts[parts.length - 1], MAPPER.valueToTree(value));
        return event;
    }

    static ObjectNode without(ObjectNode event, String path) {
        int dot = path.lastIndexOf('.');
        ObjectNode parent = dot < 0 ? event : (ObjectNode) event.at("/" + path.substring(0, dot).replace('.', '/'));
        parent.remove(path.substring(dot + 1));
        return event;
    }

    static Event accepted(JsonNode event) {
        Validation result = VALIDATOR.validate(event);
        assertThat(result).as("validation of %s", event).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) result).event();
    }

    static Violation rejected(JsonNode event) {
        Validation result = VALIDATOR.validate(event);
        assertThat(result).as("validation of %s", event).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid) result).violation();
    }

    static String repeat(char c, int times) {
        return String.valueOf(c).repeat(times);
    }
}
