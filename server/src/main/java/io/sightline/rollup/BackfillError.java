package io.sightline.rollup;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;

/** A backfill the service will not start: a range it cannot roll (naming the field), or one already running. */
public final class BackfillError extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason implements io.sightline.error.Reason {
        /** The range is reversed, not finished yet, or older than what is kept. */
        INVALID_VALUE,
        /** The range spans more than {@link BackfillService#MAX_DAYS} days. */
        RANGE_TOO_LONG,
        /** A backfill of the same app is queued or running; one at a time per app. */
        BACKFILL_RUNNING {
            @Override
            public Kind kind() {
                return Kind.CONFLICT;
            }
        }
    }

    /** {@code field} names the input at fault, or is null. */
    public BackfillError(Reason reason, String message, String field) {
        super(reason, message, field, null, null);
    }

    @Override
    public Reason reason() {
        return (Reason) super.reason();
    }
}
