package io.sightline.error;

/**
 * A failure a service reports to whoever called it, without knowing whether that was an HTTP request, a CLI or a
 * queue consumer. The message is written for the caller and carries no internals; {@code field} names the input
 * at fault, when one is. Stack traces are not filled in: these are outcomes, not bugs.
 */
public abstract class DomainException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Reason reason;
    private final String field;
    private final Integer retryAfterSeconds;

    protected DomainException(Reason reason, String message, String field, Integer retryAfterSeconds, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Reason reason() {
        return reason;
    }

    public Kind kind() {
        return reason.kind();
    }

    public String code() {
        return reason.code();
    }

    /** The input at fault ("events[3].type", "filter"), or null. */
    public String field() {
        return field;
    }

    /** For {@link Kind#UNAVAILABLE} and {@link Kind#RATE_LIMITED}: when a retry makes sense, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
