package io.sightline.store;

/** The writer did not store the events of a submission; nothing of it was acknowledged. */
public final class WriteRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The queue holds as many events as it may; the client should retry shortly. */
        QUEUE_FULL("the ingestion queue is full"),
        /** PostgreSQL cannot be reached right now. */
        DATABASE_UNAVAILABLE("the database is unavailable"),
        /** The server is shutting down and takes no new events. */
        SHUTTING_DOWN("the server is shutting down"),
        /** PostgreSQL refused these rows for a reason other than availability: a server fault. */
        STORAGE_ERROR("the events could not be stored");

        private final String message;

        Reason(String message) {
            this.message = message;
        }
    }

    private final Reason reason;

    public WriteRejectedException(Reason reason, Throwable cause) {
        super(reason.message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
