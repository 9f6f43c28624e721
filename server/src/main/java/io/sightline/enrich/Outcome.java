package io.sightline.enrich;

/** What a step makes of an event: the (possibly enriched) {@link Draft} to go on with, or a {@link Drop}. */
public sealed interface Outcome permits Draft, Outcome.Drop {

    record Drop(DropReason reason) implements Outcome {
        static final Drop NO_CONSENT = new Drop(DropReason.NO_CONSENT);
        static final Drop BOT = new Drop(DropReason.BOT);
    }
}
