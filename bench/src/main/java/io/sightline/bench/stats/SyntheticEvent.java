package io.sightline.bench.stats;

import io.sightline.event.AppInfo;
import io.sightline.event.Consent;
import io.sightline.event.DerivedField;
import io.sightline.event.Device;
import io.sightline.event.Event;
import io.sightline.event.EventContext;
import io.sightline.event.EventType;
import io.sightline.event.Location;
import io.sightline.store.EventRow;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

/**
 * One generated row of {@code analytics_events}. Times are epoch milliseconds; {@code properties} is compact JSON as
 * the server stores the client's object; {@code derived} is the columns the server would have filled in.
 */
record SyntheticEvent(long appId, long idHigh, long idLow, String type, String name, long occurredAtMs,
                      long receivedAtMs, String sessionId, String visitorId, String ipHash, Visitor visitor,
                      String appVersion, String appBuild, String properties, Set<DerivedField> derived) {

    /**
     * The row as the server's writer would store it, for the server's own COPY encoder: analytics consent given
     * (the SDK sends nothing without it), never a bot, coordinates only from visitors who report them.
     */
    EventRow row() {
        Devices.Device d = visitor.device();
        Places.City city = visitor.city();
        Location location = visitor.reportsCoordinates()
                ? new Location(city.latitude(), city.longitude(), city.name(), city.region(), visitor.country().code(),
                        visitor.accuracyM())
                : new Location(null, null, city.name(), city.region(), visitor.country().code(), null);
        EventContext context = new EventContext(
                new Device(d.os(), d.osVersion(), d.model(), d.deviceType(), d.browser(), d.browserVersion()),
                new AppInfo(appVersion, appBuild), location, visitor.country().locale(),
                new Consent(true, visitor.consentAds()));
        Event event = new Event(new UUID(idHigh, idLow), EventType.fromWire(type).orElseThrow(), name,
                Instant.ofEpochMilli(occurredAtMs), sessionId, visitorId, visitor.userId(), properties, context);
        return new EventRow(appId, event, Instant.ofEpochMilli(receivedAtMs), HexFormat.of().parseHex(ipHash), false,
                derived);
    }
}
