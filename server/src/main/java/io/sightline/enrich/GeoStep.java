package io.sightline.enrich;

import io.sightline.event.DerivedField;
import io.sightline.event.Event;
import io.sightline.event.Location;

import java.util.EnumSet;
import java.util.Set;

/**
 * Fills location facts the client did not send from the client's IP address, then rounds coordinates to the
 * configured precision. A GeoIP answer is used only when it agrees with everything the client did say (same
 * country, region and city, and its own accuracy radius around the client's coordinates), so that a phone's
 * GPS position behind a VPN never gains another country's city.
 */
public final class GeoStep implements Step {
    /** A GeoIP radius smaller than this is not trusted for the agreement test. */
    private static final double MIN_AGREEMENT_KM = 25;

    private final int decimals;
    private final double scale;

    /** {@code decimals} 0 stores no coordinates at all. The lookup itself is {@link RequestFacts#geo()}. */
    public GeoStep(int decimals) {
        this.decimals = decimals;
        this.scale = Math.pow(10, decimals);
    }

    @Override
    public String name() {
        return "geoip";
    }

    @Override
    public Outcome apply(Draft draft, RequestFacts request) {
        Event event = draft.event();
        Location sent = event.context().location();
        Set<DerivedField> filled = EnumSet.noneOf(DerivedField.class);
        Location location = sent;
        if (request.clientIp() != null && !complete(sent)) {
            location = request.geo().get()
                    .filter(geo -> agrees(sent, geo))
                    .map(geo -> fill(sent, geo, filled))
                    .orElse(sent);
        }
        Location rounded = round(location);
        if (!rounded.hasCoordinates()) {
            filled.remove(DerivedField.LATITUDE);
            filled.remove(DerivedField.LONGITUDE);
        }
        if (rounded.equals(sent)) {
            return draft;
        }
        return draft.with(event.enriched(event.sessionId(), event.visitorId(), event.context().withLocation(rounded)),
                filled);
    }

    private static boolean complete(Location l) {
        return l.country() != null && l.region() != null && l.city() != null && l.hasCoordinates();
    }

    private static boolean agrees(Location sent, GeoFacts geo) {
        if (!same(sent.country(), geo.country()) || !same(sent.region(), geo.region())
                || !same(sent.city(), geo.city())) {
            return false;
        }
        if (sent.hasCoordinates() && geo.latitude() != null && geo.longitude() != null) {
            double radius = Math.max(MIN_AGREEMENT_KM, geo.accuracyRadiusKm() == null ? 0 : geo.accuracyRadiusKm());
            return kilometres(sent.latitude(), sent.longitude(), geo.latitude(), geo.longitude()) <= radius;
        }
        return true;
    }

    /** Absent on either side counts as agreement; present on both must match, ignoring case. */
    private static boolean same(String sent, String derived) {
        return sent == null || derived == null || sent.equalsIgnoreCase(derived);
    }

    private static Location fill(Location sent, GeoFacts geo, Set<DerivedField> filled) {
        String country = pick(sent.country(), geo.country(), DerivedField.COUNTRY, filled);
        String region = pick(sent.region(), geo.region(), DerivedField.REGION, filled);
        String city = pick(sent.city(), geo.city(), DerivedField.CITY, filled);
        if (sent.hasCoordinates() || geo.latitude() == null || geo.longitude() == null) {
            return new Location(sent.latitude(), sent.longitude(), city, region, country, sent.accuracyM());
        }
        filled.add(DerivedField.LATITUDE);
        filled.add(DerivedField.LONGITUDE);
        Double accuracy = geo.accuracyRadiusKm() == null ? null : geo.accuracyRadiusKm() * 1000.0;
        return new Location(geo.latitude(), geo.longitude(), city, region, country, accuracy);
    }

    private static String pick(String sent, String derived, DerivedField field, Set<DerivedField> filled) {
        if (sent != null || derived == null) {
            return sent;
        }
        filled.add(field);
        return derived;
    }

    private Location round(Location l) {
        if (!l.hasCoordinates()) {
            return l;
        }
        if (decimals == 0) {
            return new Location(null, null, l.city(), l.region(), l.country(), null);
        }
        return new Location(Math.round(l.latitude() * scale) / scale, Math.round(l.longitude() * scale) / scale,
                l.city(), l.region(), l.country(), l.accuracyM());
    }

    /** Great-circle distance (haversine) on a sphere of the Earth's mean radius. */
    static double kilometres(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
