package io.sightline.event;

/**
 * Carries the first violation out of nested checks to {@link EventValidator#validate}, which turns it into
 * {@link Validation.Invalid}. It is only thrown for bad input and never leaves the package; without a stack
 * trace it costs about as much as the violation it carries, so a client sending garbage stays cheap.
 */
final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    Rejection(String code, String field, String message) {
        super(message, null, false, false);
        this.violation = new Violation(code, field, message);
    }

    Violation violation() {
        return violation;
    }
}
