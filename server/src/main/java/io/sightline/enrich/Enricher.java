package io.sightline.enrich;

import io.sightline.event.Event;

import java.util.List;

/**
 * Runs an event through the steps in order: consent, bot filter, GeoIP, device, visitor and session, IP
 * hash. The first drop ends it. Parsing and validation come before (they answer 4xx, not a drop);
 * storing comes after.
 */
public final class Enricher {
    private final List<Step> steps;

    public Enricher(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public Outcome enrich(Event event, RequestFacts request) {
        Outcome outcome = Draft.of(event);
        for (Step step : steps) {
            outcome = step.apply((Draft) outcome, request);
            if (outcome instanceof Outcome.Drop) {
                return outcome;
            }
        }
        return outcome;
    }

    /** The step names in order, for the start-up log. */
    public List<String> stepNames() {
        return steps.stream().map(Step::name).toList();
    }
}
