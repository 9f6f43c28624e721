package io.sightline.destinations;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A destination as the admin API shows it: everything but the credentials, of which only the names of those set
 * appear ({@code secretNames}, sorted).
 */
public record Destination(long id, long appId, DestinationType type, String name, boolean enabled,
                          boolean sendClientData, Map<String, String> values, List<String> secretNames,
                          List<EventRule> rules, Instant createdAt, Instant updatedAt) {
    public Destination {
        values = Map.copyOf(values);
        secretNames = List.copyOf(secretNames);
        rules = List.copyOf(rules);
    }
}
