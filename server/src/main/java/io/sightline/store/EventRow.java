package io.sightline.store;

import io.sightline.event.Event;

import java.time.Instant;

/** One validated event as it goes into {@code analytics_events}, with what the server adds to it. */
public record EventRow(long appId, Event event, Instant receivedAt, byte[] ipHash) {}
