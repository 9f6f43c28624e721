package io.sightline.enrich;

import java.util.List;

/**
 * The enrichment steps in their order: consent, bot filter, GeoIP, device, visitor and session, IP hash. The
 * ingestion pipeline runs them after validation, stopping at the first drop, and times each by its name; storing
 * comes after.
 */
public final class Enricher {
    private final List<Step> steps;

    public Enricher(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<Step> steps() {
        return steps;
    }
}
