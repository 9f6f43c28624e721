package io.sightline.store;

import io.sightline.event.DerivedField;
import io.sightline.event.Event;

import java.time.Instant;
import java.util.Set;

/**
 * One event as it goes into {@code analytics_events}: the enriched event and what only the server knows.
 * {@code ipHash} is already salted. The raw address reaches this record only inside {@code sealedClientData}, and
 * only when a destination of the app may send it: encrypted by {@link ClientDataSealer}, kept by the forwarding
 * outbox until the delivery ends, never stored with the event.
 */
public record EventRow(long appId, Event event, Instant receivedAt, byte[] ipHash, boolean bot,
                       Set<DerivedField> derived, byte[] sealedClientData) {
    public EventRow(long appId, Event event, Instant receivedAt, byte[] ipHash, boolean bot, Set<DerivedField> derived) {
        this(appId, event, receivedAt, ipHash, bot, derived, null);
    }
}
