package io.sightline.event;

/**
 * Where an event happened; every component may be null, but latitude and longitude are either both present
 * or both null. The client reports these; enrichment may fill the gaps (region, for instance, usually comes
 * from GeoIP).
 */
public record Location(Double latitude, Double longitude, String city, String region, String country,
                       Double accuracyM) {

    public boolean hasCoordinates() {
        return latitude != null;
    }
}
