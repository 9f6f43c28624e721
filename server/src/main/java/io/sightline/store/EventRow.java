package io.sightline.store;

import io.sightline.event.DerivedField;
import io.sightline.event.Event;

import java.time.Instant;
import java.util.Set;

/**
 * One event as it goes into {@code analytics_events}: the enriched event and what only the server knows.
 * {@code ipHash} is already salted; the raw address never reaches this record.
 */
public record EventRow(long appId, Event event, Instant receivedAt, byte[] ipHash, boolean bot,
                       Set<DerivedField> derived) {}
