package io.sightline.bench.stats;

import java.util.SplittableRandom;

/**
 * One person, the same on every visit: where they are, their device, how far behind the newest app release they
 * lag, whether they are logged in and gave ads consent. Made from the visitor's number alone, so it need not be kept.
 */
record Visitor(long number, Places.Country country, Places.City city, Devices.Device device, int releaseLag,
               String userId, boolean consentAds, boolean reportsCoordinates, double accuracyM) {

    static Visitor of(Catalog catalog, long appSeed, long number) {
        SplittableRandom r = new SplittableRandom(Ids.mix(appSeed ^ Ids.mix(number + 0x5EED)));
        Places.Country country = catalog.places().country(r);
        Places.City city = country.cities().get(country.cityPick().next(r));
        Devices.Device device = catalog.devices().pick(r);
        double lagDraw = r.nextDouble();
        int lag = lagDraw < 0.55 ? 0 : lagDraw < 0.8 ? 1 : lagDraw < 0.92 ? 2 : 3;
        boolean app = !device.web();
        String userId = app && r.nextDouble() < 0.12 ? "u-" + Ids.hex64(Ids.mix(appSeed + number * 7919)) : null;
        boolean consentAds = app && r.nextDouble() < 0.4;
        boolean coordinates = app && r.nextDouble() < 0.6;
        return new Visitor(number, country, city, device, lag, userId, consentAds, coordinates,
                coordinates ? 5 + r.nextInt(120) : 0);
    }

    boolean web() {
        return device.web();
    }
}
