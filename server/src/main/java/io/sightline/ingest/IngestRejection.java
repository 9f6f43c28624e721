package io.sightline.ingest;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;
import io.sightline.event.Violation;

/**
 * Ingestion refused a whole request: its envelope is malformed, its only event is invalid, or its events were not
 * confirmed as stored in time. Invalid items of a batch are not refusals; they are listed in the result by index.
 */
public final class IngestRejection extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason implements io.sightline.error.Reason {
        /** The body, or a part of the envelope, has the wrong JSON type. */
        INVALID_TYPE,
        /** The envelope holds a field the protocol does not know. */
        UNKNOWN_FIELD,
        /** The envelope lacks a field the protocol requires. */
        MISSING_FIELD,
        /** A batch holds no events, or more than the configured maximum. */
        TOO_MANY_ITEMS,
        /** The one event of a single-event request broke a rule; the code is the violation's own. */
        INVALID_EVENT,
        /** The sink did not confirm the events as durable in time; the same event ids may be sent again. */
        ACK_TIMEOUT {
            @Override
            public Kind kind() {
                return Kind.UNAVAILABLE;
            }
        }
    }

    /** The client-visible code: the reason's, or for {@link Reason#INVALID_EVENT} the violation's. */
    private final String code;

    private IngestRejection(Reason reason, String code, String message, String field, Integer retryAfterSeconds) {
        super(reason, message, field, retryAfterSeconds, null);
        this.code = code;
    }

    /** A malformed envelope; {@code field} names the part at fault, or is null for the body itself. */
    public static IngestRejection envelope(Reason reason, String message, String field) {
        return new IngestRejection(reason, reason.code(), message, field, null);
    }

    /** The only event of the request is invalid: refused with the violation's code, field and message. */
    public static IngestRejection invalidEvent(Violation violation) {
        return new IngestRejection(Reason.INVALID_EVENT, violation.code(), violation.message(), violation.field(),
                null);
    }

    /** A retry after a second is safe: events are stored once per event id, however often they are sent. */
    public static IngestRejection ackTimeout() {
        return new IngestRejection(Reason.ACK_TIMEOUT, Reason.ACK_TIMEOUT.code(), "the events were not confirmed as"
                + " stored in time; retry with the same event_id values", null, 1);
    }

    @Override
    public Reason reason() {
        return (Reason) super.reason();
    }

    @Override
    public String code() {
        return code;
    }
}
