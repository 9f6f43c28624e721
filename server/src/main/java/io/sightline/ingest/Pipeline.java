package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.enrich.Draft;
import io.sightline.enrich.Enricher;
import io.sightline.enrich.Outcome;
import io.sightline.enrich.RequestFacts;
import io.sightline.enrich.Step;
import io.sightline.event.Event;
import io.sightline.event.EventValidator;
import io.sightline.event.Validation;

import java.util.ArrayList;
import java.util.List;

/**
 * What happens to each event between its adapter and the sink, as an ordered list of named steps: first
 * {@value #VALIDATE}, whose failure is a rejection (the client's mistake, a 4xx item), then the enrichment steps,
 * each of which returns the event, enriched or not, or a drop with its reason; the first drop ends the event's way.
 *
 * <p>Validation runs apart from the rest because it needs no request facts: a request whose events are all
 * invalid is answered without touching the salts, and the facts (the User-Agent above all) may take a moment to
 * resolve. Every step is timed by name through {@link IngestListener#stepTimer}; the cost is one clock read per step.
 */
public final class Pipeline {
    public static final String VALIDATE = "validate";

    private final EventValidator validator;
    private final StepTimer validateTimer;
    private final Step[] steps;
    private final StepTimer[] timers;

    public Pipeline(EventValidator validator, Enricher enricher, IngestListener listener) {
        this.validator = validator;
        this.validateTimer = listener.stepTimer(VALIDATE);
        this.steps = enricher.steps().toArray(Step[]::new);
        this.timers = new StepTimer[steps.length];
        for (int i = 0; i < steps.length; i++) {
            timers[i] = listener.stepTimer(steps[i].name());
        }
    }

    /** The first step: one event as the adapter found it, turned into an {@link Event} or its first violation. */
    public Validation validate(JsonNode event) {
        long started = System.nanoTime();
        Validation validation = validator.validate(event);
        validateTimer.record(System.nanoTime() - started);
        return validation;
    }

    /** The enrichment steps, in order, over a valid event: the draft to store, or the first drop. */
    public Outcome enrich(Event event, RequestFacts request) {
        Outcome outcome = Draft.of(event);
        long started = System.nanoTime();
        for (int i = 0; i < steps.length; i++) {
            outcome = steps[i].apply((Draft) outcome, request);
            long done = System.nanoTime();
            timers[i].record(done - started);
            if (outcome instanceof Outcome.Drop) {
                return outcome;
            }
            started = done;
        }
        return outcome;
    }

    /** Every step's name in order, for the start-up log. */
    public List<String> stepNames() {
        List<String> names = new ArrayList<>(steps.length + 1);
        names.add(VALIDATE);
        for (Step step : steps) {
            names.add(step.name());
        }
        return names;
    }
}
