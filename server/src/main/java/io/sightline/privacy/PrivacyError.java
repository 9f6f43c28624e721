package io.sightline.privacy;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;

/**
 * A privacy request the service refuses: a subject it cannot take (naming the field in {@link #field()}), or as
 * many requests already running as may.
 */
public final class PrivacyError extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason implements io.sightline.error.Reason {
        INVALID_VALUE,
        INVALID_CHARACTER,
        TOO_LONG,
        MISSING_FIELD,
        CONFLICTING_FIELDS,
        /** {@link PrivacyService#MAX_RUNNING} requests run already; the caller retries after a while. */
        TOO_MANY_REQUESTS {
            @Override
            public Kind kind() {
                return Kind.RATE_LIMITED;
            }
        }
    }

    /** A mistake in the request field {@code field}. */
    public PrivacyError(Reason reason, String message, String field) {
        super(reason, message, field, null, null);
    }

    private PrivacyError(String message, int retryAfterSeconds) {
        super(Reason.TOO_MANY_REQUESTS, message, null, retryAfterSeconds, null);
    }

    /** Refused because the limit of requests running at once is reached; worth retrying after a while. */
    public static PrivacyError busy(String message, int retryAfterSeconds) {
        return new PrivacyError(message, retryAfterSeconds);
    }

    @Override
    public Reason reason() {
        return (Reason) super.reason();
    }
}
