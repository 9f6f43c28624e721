package io.sightline.enrich;

/**
 * What a GeoIP database says about one address. Any part may be null: a Country database knows only the
 * country, and many networks have no city or coordinates.
 *
 * @param country          ISO 3166-1 alpha-2 code, e.g. "DE"
 * @param region           English name of the most specific subdivision, e.g. "New South Wales"; null when the
 *                         database has no English name for it. Subdivision codes are not used as a fallback:
 *                         they are unique only within a country ("BE" is Berlin in DE but Bern in CH), and a
 *                         code and a name for the same region would count as two regions in reports.
 * @param city             English name of the city
 * @param accuracyRadiusKm the database's radius around the coordinates, in kilometres
 */
public record GeoFacts(String country, String region, String city, Double latitude, Double longitude,
                       Integer accuracyRadiusKm) {

    boolean isEmpty() {
        return country == null && region == null && city == null && latitude == null && longitude == null;
    }
}
