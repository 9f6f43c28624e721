package io.sightline.destinations;

import java.util.List;

/**
 * An enabled destination as the delivery worker needs it: its platform type, its config with the credentials
 * decrypted, and its mapping rules. {@link DestinationConfig#toString()} keeps the credentials out of any log line.
 */
public record ActiveDestination(long id, long appId, DestinationType type, String name, DestinationConfig config,
                                List<EventRule> rules) {
    public ActiveDestination {
        rules = List.copyOf(rules);
    }
}
