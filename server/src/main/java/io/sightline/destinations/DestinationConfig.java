package io.sightline.destinations;

import java.util.Map;
import java.util.Objects;

/**
 * A destination as a platform client sees it when sending: its plain config values and its decrypted secrets, both
 * already checked against the platform's {@link ConfigField}s. {@code sendClientData} says whether the client's IP
 * address and User-Agent may be sent (off unless the admin turned it on).
 */
public record DestinationConfig(long destinationId, Map<String, String> values, Map<String, String> secrets,
                                boolean sendClientData) {
    public DestinationConfig {
        values = Map.copyOf(values);
        secrets = Map.copyOf(secrets);
    }

    /** A plain or secret value, or null when not set. */
    public String get(String name) {
        String v = values.get(name);
        return v != null ? v : secrets.get(name);
    }

    public String require(String name) {
        return Objects.requireNonNull(get(name), name);
    }

    /** Never the secrets. */
    @Override
    public String toString() {
        return "DestinationConfig[" + destinationId + ", " + values + ", secrets " + secrets.keySet() + "]";
    }
}
