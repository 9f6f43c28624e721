package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.event.EventType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an admin API body into a {@link DestinationDraft}, checked field by field against the platform's
 * {@link ConfigField}s and then its {@link Platform#check}; every refusal is a {@link DestinationError} naming the
 * field ({@code type}, {@code config.pixel_id}, {@code events[3].match}). A message never repeats a config value,
 * since it may be a credential.
 */
public final class DestinationRequest {
    /** The members a body may have; anything else is refused before this class sees it. */
    public static final List<String> FIELDS = List.of("type", "name", "enabled", "send_client_data", "config", "events");
    static final int MAX_RULES = 50;
    private static final int MAX_NAME = 100;
    private static final int MAX_EVENT_NAME = 100;
    private static final int MAX_PLATFORM_EVENT_NAME = 200;
    private static final String CUSTOM = "custom:";

    private DestinationRequest() {
    }

    /** The type a create body names; its platform must be among {@code platforms}. */
    public static Platform platform(JsonNode body, Map<DestinationType, Platform> platforms) {
        JsonNode type = body.get("type");
        if (type == null || type.isNull()) {
            throw new DestinationError(DestinationError.Reason.MISSING_FIELD, "type", "type is required");
        }
        Optional<DestinationType> known = type.isTextual() ? DestinationType.fromWire(type.asText()) : Optional.empty();
        if (known.isEmpty()) {
            throw DestinationError.invalid("type", "type must be one of meta, google_ads, ga4, linkedin, x, umami");
        }
        return supported(known.get(), platforms);
    }

    static Platform supported(DestinationType type, Map<DestinationType, Platform> platforms) {
        Platform platform = platforms.get(type);
        if (platform == null) {
            throw DestinationError.invalid("type", "this server has no client for " + type.wireName() + " yet");
        }
        return platform;
    }

    /** A new destination: {@code enabled} defaults to true, {@code send_client_data} to false. */
    public static DestinationDraft create(JsonNode body, Platform platform) {
        String name = name(body.get("name"));
        boolean enabled = bool(body, "enabled").orElse(true);
        boolean sendClientData = bool(body, "send_client_data").orElse(false);
        Map<String, String> values = new HashMap<>();
        Map<String, String> secrets = new HashMap<>();
        JsonNode config = body.get("config");
        mergeConfig(config, platform, values, secrets);
        requireComplete(platform, values, secrets);
        List<EventRule> rules = body.has("events") ? rules(body.get("events"), platform) : platform.defaultRules();
        DestinationConfig checked = new DestinationConfig(0, values, secrets, sendClientData);
        platform.check(checked);
        platform.checkMapping(checked, rules);
        return new DestinationDraft(platform.type(), name, enabled, sendClientData, values, secrets, rules);
    }

    /**
     * An edit: only what the body gives changes. {@code config} merges field by field (null removes an optional
     * field); a credential not given is kept. When the stored credentials cannot be opened with this server's key,
     * the edit must give every one of them again.
     */
    public static DestinationDraft patch(JsonNode body, Platform platform, DestinationStore.Current current) {
        Destination was = current.destination();
        JsonNode type = body.get("type");
        if (type != null && !(type.isTextual() && type.asText().equals(was.type().wireName()))) {
            throw DestinationError.invalid("type", "the type of a destination cannot change; create another one");
        }
        String name = body.has("name") ? name(body.get("name")) : was.name();
        boolean enabled = bool(body, "enabled").orElse(was.enabled());
        boolean sendClientData = bool(body, "send_client_data").orElse(was.sendClientData());
        Map<String, String> values = new HashMap<>(was.values());
        Map<String, String> secrets = new HashMap<>(current.secrets().orElse(Map.of()));
        if (body.has("config")) {
            mergeConfig(body.get("config"), platform, values, secrets);
        }
        if (current.secrets().isEmpty()) {
            for (String secret : was.secretNames()) {
                if (!secrets.containsKey(secret)) {
                    throw new DestinationError(DestinationError.Reason.INVALID_CONFIG, "config." + secret,
                            "the stored credentials cannot be decrypted with this server's secret key;"
                                    + " give every credential again");
                }
            }
        }
        requireComplete(platform, values, secrets);
        List<EventRule> rules = body.has("events") ? rules(body.get("events"), platform) : was.rules();
        DestinationConfig checked = new DestinationConfig(was.id(), values, secrets, sendClientData);
        platform.check(checked);
        platform.checkMapping(checked, rules);
        return new DestinationDraft(was.type(), name, enabled, sendClientData, values, secrets, rules);
    }

    private static String name(JsonNode name) {
        if (name == null || name.isNull()) {
            throw new DestinationError(DestinationError.Reason.MISSING_FIELD, "name", "name is required");
        }
        if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME
                || hasControl(name.asText())) {
            throw DestinationError.invalid("name", "name must be a string of 1 to " + MAX_NAME
                    + " characters without control characters");
        }
        return name.asText();
    }

    private static Optional<Boolean> bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw DestinationError.invalid(field, field + " must be true or false");
        }
        return Optional.of(value.asBoolean());
    }

    private static void mergeConfig(JsonNode config, Platform platform, Map<String, String> values,
                                    Map<String, String> secrets) {
        if (config == null) {
            return;
        }
        if (!config.isObject()) {
            throw DestinationError.invalid("config", "config must be an object");
        }
        Map<String, ConfigField> declared = new HashMap<>();
        platform.fields().forEach(f -> declared.put(f.name(), f));
        for (Map.Entry<String, JsonNode> entry : config.properties()) {
            String key = entry.getKey();
            ConfigField field = declared.get(key);
            if (field == null) {
                throw new DestinationError(DestinationError.Reason.UNKNOWN_FIELD,
                        "config." + (key.length() > 64 ? key.substring(0, 64) : key),
                        "a " + platform.type().wireName() + " destination has no such setting; it takes "
                                + String.join(", ", declared.keySet().stream().sorted().toList()));
            }
            Map<String, String> target = field.secret() ? secrets : values;
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                target.remove(key);
                continue;
            }
            target.put(key, value(field, value));
        }
    }

    /** A string, or a whole number given as JSON number (ids such as a pixel id), checked against the field. */
    private static String value(ConfigField field, JsonNode value) {
        String path = "config." + field.name();
        if (!value.isTextual() && !value.isIntegralNumber()) {
            throw DestinationError.invalid(path, path + " must be a string");
        }
        String text = value.asText();
        if (text.isEmpty() || text.length() > field.maxLength()) {
            throw DestinationError.invalid(path, path + " must be 1 to " + field.maxLength() + " characters");
        }
        if (!field.pattern().matcher(text).matches()) {
            String form = field.secret() ? "printable characters without spaces" : "the pattern " + field.pattern();
            throw DestinationError.invalid(path, path + " must be " + form + " (" + field.description() + ")");
        }
        return text;
    }

    private static void requireComplete(Platform platform, Map<String, String> values, Map<String, String> secrets) {
        for (ConfigField field : platform.fields()) {
            if (field.required() && !(field.secret() ? secrets : values).containsKey(field.name())) {
                throw new DestinationError(DestinationError.Reason.MISSING_FIELD, "config." + field.name(),
                        "a " + platform.type().wireName() + " destination needs " + field.name() + " ("
                                + field.description() + ")");
            }
        }
    }

    private static List<EventRule> rules(JsonNode events, Platform platform) {
        if (!events.isArray() || events.isEmpty() || events.size() > MAX_RULES) {
            throw DestinationError.invalid("events", "events must be an array of 1 to " + MAX_RULES
                    + " rules {\"match\", \"name\"}");
        }
        List<EventRule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            String at = "events[" + i + "]";
            JsonNode rule = events.get(i);
            if (!rule.isObject()) {
                throw DestinationError.invalid(at, at + " must be an object {\"match\", \"name\"}");
            }
            for (String key : (Iterable<String>) rule::fieldNames) {
                if (!key.equals("match") && !key.equals("name")) {
                    throw new DestinationError(DestinationError.Reason.UNKNOWN_FIELD,
                            at + "." + (key.length() > 64 ? key.substring(0, 64) : key), "a rule has match and name only");
                }
            }
            String match = match(rule.get("match"), at + ".match");
            if (!seen.add(match)) {
                throw DestinationError.invalid(at + ".match", "two rules match " + match + "; keep one");
            }
            EventRule parsed = new EventRule(match, platformEventName(rule.get("name"), at + ".name"));
            try {
                platform.checkRule(parsed);
            } catch (DestinationError e) {
                // The platform names the rule's member ("name"); the answer names the line too.
                throw new DestinationError(DestinationError.Reason.INVALID_VALUE, at + "." + e.field(), e.getMessage());
            }
            rules.add(parsed);
        }
        return rules;
    }

    /** An event type ({@code conversion}; {@code custom} is every custom event) or {@code custom:<name>}. */
    private static String match(JsonNode match, String path) {
        if (match == null || match.isNull()) {
            throw new DestinationError(DestinationError.Reason.MISSING_FIELD, path, "a rule needs match");
        }
        String text = match.isTextual() ? match.asText() : "";
        if (text.startsWith(CUSTOM)) {
            String name = text.substring(CUSTOM.length());
            if (name.isBlank() || name.length() > MAX_EVENT_NAME || hasControl(name)) {
                throw DestinationError.invalid(path, "custom:<name> needs an event name of 1 to " + MAX_EVENT_NAME
                        + " characters");
            }
            return text;
        }
        if (EventType.fromWire(text).isEmpty()) {
            throw DestinationError.invalid(path, "match must be qr_scan, placement, interaction, screenshot,"
                    + " conversion, screen_view, custom or custom:<name>");
        }
        return text;
    }

    /** Null asks the platform for its default name. */
    private static String platformEventName(JsonNode name, String path) {
        if (name == null || name.isNull()) {
            return null;
        }
        if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_PLATFORM_EVENT_NAME
                || hasControl(name.asText())) {
            throw DestinationError.invalid(path, "name must be a string of 1 to " + MAX_PLATFORM_EVENT_NAME
                    + " characters without control characters");
        }
        return name.asText();
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }
}
