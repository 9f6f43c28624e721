package io.sightline.stats;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;

/**
 * A stats question the service will not answer: a parameter it cannot read or that exceeds a limit (naming the
 * parameter in {@link #field()}), or too many heavy queries running at once.
 */
public final class QueryError extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason implements io.sightline.error.Reason {
        INVALID_VALUE,
        INVALID_CHARACTER,
        INVALID_RANGE,
        INVALID_FILTER,
        OUT_OF_RANGE,
        RANGE_TOO_LONG,
        MISSING_PARAMETER,
        REPEATED_PARAMETER,
        UNKNOWN_PARAMETER,
        UNKNOWN_EVENT_TYPE,
        UNKNOWN_DIMENSION,
        UNKNOWN_OPERATOR,
        UNKNOWN_STEP,
        TOO_MANY_FILTERS,
        TOO_MANY_VALUES,
        VALUE_TOO_LONG,
        TOO_MANY_BUCKETS,
        /** As many exports or funnels run as may; the caller retries after {@link #retryAfterSeconds()}. */
        TOO_MANY_REQUESTS {
            @Override
            public Kind kind() {
                return Kind.RATE_LIMITED;
            }
        },
        /** The question is valid but takes longer than the server allows one query (503, as a statement timeout). */
        QUERY_TIMEOUT {
            @Override
            public Kind kind() {
                return Kind.UNAVAILABLE;
            }
        }
    }

    /** A mistake in the parameter {@code field}. */
    public QueryError(Reason reason, String message, String field) {
        super(reason, message, field, null, null);
    }

    private QueryError(Reason reason, String message, int retryAfterSeconds) {
        super(reason, message, null, retryAfterSeconds, null);
    }

    /** Refused because {@code message}'s limit of concurrent queries is reached; worth retrying after a while. */
    public static QueryError busy(String message, int retryAfterSeconds) {
        return new QueryError(Reason.TOO_MANY_REQUESTS, message, retryAfterSeconds);
    }

    /** Given up because answering would take longer than the server allows one query. */
    public static QueryError tooSlow(String message, int retryAfterSeconds) {
        return new QueryError(Reason.QUERY_TIMEOUT, message, retryAfterSeconds);
    }

    @Override
    public Reason reason() {
        return (Reason) super.reason();
    }
}
