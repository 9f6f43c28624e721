package io.sightline.store;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;

/** The writer did not store the events of a submission; nothing of it was acknowledged. */
public final class WriteRejectedException extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason implements io.sightline.error.Reason {
        /** The queue holds as many events as it may; the client should retry shortly. */
        QUEUE_FULL(Kind.UNAVAILABLE, "the server is at capacity; retry after the Retry-After delay", 1),
        /** PostgreSQL cannot be reached right now. */
        DATABASE_UNAVAILABLE(Kind.UNAVAILABLE, "storage is temporarily unavailable; retry after the Retry-After delay", 5),
        /** The server is shutting down and takes no new events. */
        SHUTTING_DOWN(Kind.UNAVAILABLE, "the server is shutting down; retry after the Retry-After delay", 5),
        /** PostgreSQL refused these rows for a reason other than availability: a server fault. */
        STORAGE_ERROR(Kind.INTERNAL, "the events could not be stored", null);

        private final Kind kind;
        private final String message;
        private final Integer retryAfterSeconds;

        Reason(Kind kind, String message, Integer retryAfterSeconds) {
            this.kind = kind;
            this.message = message;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public Kind kind() {
            return kind;
        }
    }

    public WriteRejectedException(Reason reason, Throwable cause) {
        super(reason, reason.message, null, reason.retryAfterSeconds, cause);
    }

    @Override
    public Reason reason() {
        return (Reason) super.reason();
    }
}
