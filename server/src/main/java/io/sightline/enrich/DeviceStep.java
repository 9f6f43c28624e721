package io.sightline.enrich;

import io.sightline.event.DerivedField;
import io.sightline.event.Device;
import io.sightline.event.Event;

import java.util.EnumSet;
import java.util.Set;

/**
 * Fills device facts the client did not send from the User-Agent. What the client reported wins; version,
 * model and type are derived only when the client named no operating system or the same one the
 * User-Agent shows, so that one row never mixes two devices. Browser and its version always come from here.
 * The User-Agent's facts arrive resolved in {@link RequestFacts#device()}.
 */
public final class DeviceStep implements Step {

    @Override
    public String name() {
        return "device";
    }

    @Override
    public Outcome apply(Draft draft, RequestFacts request) {
        DeviceFacts facts = request.device();
        if (facts.equals(DeviceFacts.UNKNOWN)) {
            return draft;
        }
        Event event = draft.event();
        Device sent = event.context().device();
        Set<DerivedField> filled = EnumSet.noneOf(DerivedField.class);
        boolean sameOs = sent.os() == null || (facts.os() != null && sent.os().equalsIgnoreCase(facts.os()));
        String os = pick(sent.os(), facts.os(), true, DerivedField.OS, filled);
        String osVersion = pick(sent.osVersion(), facts.osVersion(), sameOs, DerivedField.OS_VERSION, filled);
        String model = pick(sent.model(), facts.deviceModel(), sameOs, DerivedField.DEVICE_MODEL, filled);
        String type = pick(sent.type(), facts.deviceType(), sameOs, DerivedField.DEVICE_TYPE, filled);
        String browser = pick(null, facts.browser(), true, DerivedField.BROWSER, filled);
        String browserVersion = pick(null, facts.browserVersion(), true, DerivedField.BROWSER_VERSION, filled);
        if (filled.isEmpty()) {
            return draft;
        }
        Device device = new Device(os, osVersion, model, type, browser, browserVersion);
        return draft.with(event.enriched(event.sessionId(), event.visitorId(), event.context().withDevice(device)),
                filled);
    }

    private static String pick(String sent, String derived, boolean allowed, DerivedField field,
                               Set<DerivedField> filled) {
        if (sent != null || derived == null || !allowed) {
            return sent;
        }
        filled.add(field);
        return derived;
    }
}
