package io.sightline.bench.stats;

/** The fixed distributions a generator draws from; immutable, built once and shared by every app's generator. */
record Catalog(Places places, Devices devices, Content content) {
    static Catalog standard() {
        return new Catalog(new Places(), new Devices(), new Content());
    }
}
