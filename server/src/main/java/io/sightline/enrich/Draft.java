package io.sightline.enrich;

import io.sightline.event.DerivedField;
import io.sightline.event.Event;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * An event on its way through the steps, with what the server has added so far. Immutable: a step that
 * derives something returns a new draft naming the fields it filled.
 */
public record Draft(Event event, boolean bot, byte[] ipHash, Set<DerivedField> derived) implements Outcome {

    public static Draft of(Event event) {
        return new Draft(event, false, null, Collections.unmodifiableSet(EnumSet.noneOf(DerivedField.class)));
    }

    Draft with(Event enriched, Set<DerivedField> filled) {
        if (filled.isEmpty()) {
            return new Draft(enriched, bot, ipHash, derived);
        }
        EnumSet<DerivedField> all = derived.isEmpty() ? EnumSet.noneOf(DerivedField.class) : EnumSet.copyOf(derived);
        all.addAll(filled);
        return new Draft(enriched, bot, ipHash, Collections.unmodifiableSet(all));
    }

    Draft flaggedAsBot() {
        return new Draft(event, true, ipHash, derived);
    }

    Draft withIpHash(byte[] hash) {
        return new Draft(event, bot, hash, derived);
    }
}
