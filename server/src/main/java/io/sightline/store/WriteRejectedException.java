package io.sightline.store;

/** The writer did not store the events of a submission; nothing of it was acknowledged. */
public final class WriteRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The queue holds as many events as it may; the client should retry shortly. */
        QUEUE_FULL,
        /** PostgreSQL cannot be reached right now. */
        DATABASE_UNAVAILABLE,
        /** The server is shutting down and takes no new events. */
        SHUTTING_DOWN,
        /** PostgreSQL refused these rows for a reason other than availability: a server fault. */
        STORAGE_ERROR
    }

    private final Reason reason;

    public WriteRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
