package io.sightline.destinations;

import java.util.List;
import java.util.Objects;

/**
 * An enabled destination as the forwarder uses it: its platform type, its config with the credentials decrypted,
 * and its mapping rules. {@link DestinationConfig#toString()} keeps the credentials out of any log line.
 */
public record ActiveDestination(long id, long appId, DestinationType type, String name, DestinationConfig config,
                                List<EventRule> rules) {
    public ActiveDestination {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        rules = List.copyOf(rules);
    }

    /** The rule that sends this event here, or null when none does. */
    public EventRule ruleFor(String eventType, String eventName) {
        for (EventRule rule : rules) {
            if (rule.matches(eventType, eventName)) {
                return rule;
            }
        }
        return null;
    }
}
