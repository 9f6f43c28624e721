package io.sightline.enrich;

import io.sightline.event.AppInfo;
import io.sightline.event.Consent;
import io.sightline.event.Device;
import io.sightline.event.Event;
import io.sightline.event.EventContext;
import io.sightline.event.EventType;
import io.sightline.event.Location;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/** Events and requests for the step tests, built directly so each test shows only what it varies. */
final class Drafts {
    static final Instant NOON = Instant.parse("2026-11-24T12:00:00Z");
    static final DailyKey TODAY = new DailyKey(filled((byte) 1));
    static final DailyKey YESTERDAY = new DailyKey(filled((byte) 2));
    static final Salts SALTS = new Salts(LocalDate.of(2026, 11, 24), TODAY, Optional.of(YESTERDAY));

    static final Device NO_DEVICE = new Device(null, null, null, null, null, null);
    static final Location NOWHERE = new Location(null, null, null, null, null, null);
    static final Consent NO_ANSWER = new Consent(null, null);

    private Drafts() {
    }

    static Event event(Location location, Device device, Consent consent) {
        return new Event(UUID.randomUUID(), EventType.SCREENSHOT, null, NOON, null, null, null, "{}",
                new EventContext(device, new AppInfo(null, null), location, null, consent));
    }

    static Event event() {
        return event(NOWHERE, NO_DEVICE, NO_ANSWER);
    }

    static Event withIds(String sessionId, String visitorId, Instant occurredAt) {
        Event e = event();
        return new Event(e.eventId(), e.type(), null, occurredAt, sessionId, visitorId, null, "{}", e.context());
    }

    static RequestFacts request(String ip, String userAgent) {
        return new RequestFacts(7, ip, userAgent, false, NOON, SALTS, DeviceFacts.UNKNOWN, GeoMemo.NONE);
    }

    static RequestFacts optedOut() {
        return new RequestFacts(7, "203.0.113.7", "Mozilla/5.0", true, NOON, SALTS, DeviceFacts.UNKNOWN,
                GeoMemo.NONE);
    }

    static Draft kept(Outcome outcome) {
        if (outcome instanceof Draft draft) {
            return draft;
        }
        throw new AssertionError("expected the event to be kept, but it was " + outcome);
    }

    private static byte[] filled(byte value) {
        byte[] salt = new byte[32];
        Arrays.fill(salt, value);
        return salt;
    }
}
