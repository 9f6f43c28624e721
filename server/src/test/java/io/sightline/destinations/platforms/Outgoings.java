package io.sightline.destinations.platforms;

import io.sightline.destinations.Outgoing;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Test events on their way to a destination; only the fields the three ad clients read. */
final class Outgoings {
    static final String EMAIL_SHA = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"; // test@example.com
    static final String PHONE_SHA = "6f0a6d5e8a1ffd7e1e1b0dd1d4c2a0e5fc6dd7a7b3a7e6d6f3b9c8a3e2f1d0c9";

    private Outgoings() {
    }

    static Outgoing conversion(String rule, Instant at, Map<String, String> clickIds, String emailSha, String phoneSha) {
        return event(UUID.randomUUID(), rule, at, 49.9, "EUR", clickIds, emailSha, phoneSha, null, null, "{\"quantity\":2}");
    }

    static Outgoing event(UUID id, String rule, Instant at, Double value, String currency, Map<String, String> clickIds,
                          String emailSha, String phoneSha, String ip, String userAgent, String props) {
        return new Outgoing(7L, id, "conversion", null, rule, at, value, currency, clickIds, Map.of(),
                emailSha, phoneSha, phoneSha, null, "v1", null, "s1", ip, userAgent,
                false, null, null, null, null, null, null, null, null, null, null, props);
    }
}
