package io.sightline.destinations.platforms;

import io.sightline.destinations.Outcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The outcome of each event of a batch, in the batch's order, filled as the client learns them: skips before the
 * request, per-row errors from the answer, and whatever the request as a whole says for the rest.
 */
final class OutcomeSlots {
    private final Outcome[] outcomes;

    OutcomeSlots(int size) {
        outcomes = new Outcome[size];
    }

    void set(int index, Outcome outcome) {
        outcomes[index] = outcome;
    }

    boolean isSet(int index) {
        return outcomes[index] != null;
    }

    /** Every slot still empty among {@code indices} gets {@code outcome}. */
    void fill(List<Integer> indices, Outcome outcome) {
        for (int i : indices) {
            if (outcomes[i] == null) {
                outcomes[i] = outcome;
            }
        }
    }

    List<Outcome> toList() {
        if (Arrays.asList(outcomes).contains(null)) {
            throw new IllegalStateException("an event of the batch got no outcome");
        }
        return new ArrayList<>(Arrays.asList(outcomes));
    }
}
