package io.sightline.enrich;

/** One named stage of enrichment: returns the draft (enriched or not) or a drop with its reason. */
public interface Step {
    String name();

    Outcome apply(Draft draft, RequestFacts request);
}
