package io.sightline.destinations;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole writable state of a destination, validated against its platform, with its credentials in clear: what
 * {@link DestinationStore} seals and writes. Never logged: {@link #toString()} leaves the secrets out.
 */
public record DestinationDraft(DestinationType type, String name, boolean enabled, boolean sendClientData,
                               Map<String, String> values, Map<String, String> secrets, List<EventRule> rules) {
    public DestinationDraft {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        values = Map.copyOf(values);
        secrets = Map.copyOf(secrets);
        rules = List.copyOf(rules);
    }

    @Override
    public String toString() {
        return "DestinationDraft[" + type.wireName() + " " + name + ", enabled " + enabled + ", " + values
                + ", secrets " + secrets.keySet() + ", " + rules + "]";
    }
}
