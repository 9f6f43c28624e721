package io.sightline.event;

/** The outcome of validating one event: the event ready to store, or the first rule it broke. */
public sealed interface Validation permits Validation.Valid, Validation.Invalid {
    record Valid(Event event) implements Validation {}

    record Invalid(Violation violation) implements Validation {}
}
