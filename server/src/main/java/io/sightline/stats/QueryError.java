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
        INVALID_VALUE("invalid_value"),
        INVALID_CHARACTER("invalid_character"),
        INVALID_RANGE("invalid_range"),
        INVALID_FILTER("invalid_filter"),
        OUT_OF_RANGE("out_of_range"),
        RANGE_TOO_LONG("range_too_long"),
        MISSING_PARAMETER("missing_parameter"),
        REPEATED_PARAMETER("repeated_parameter"),
        UNKNOWN_PARAMETER("unknown_parameter"),
        UNKNOWN_EVENT_TYPE("unknown_event_type"),
        UNKNOWN_DIMENSION("unknown_dimension"),
        UNKNOWN_OPERATOR("unknown_operator"),
        UNKNOWN_STEP("unknown_step"),
        TOO_MANY_FILTERS("too_many_filters"),
        TOO_MANY_VALUES("too_many_values"),
        VALUE_TOO_LONG("value_too_long"),
        TOO_MANY_BUCKETS("too_many_buckets"),
        /** As many exports or funnels run as may; the caller retries after {@link #retryAfterSeconds()}. */
        TOO_MANY_REQUESTS(Kind.RATE_LIMITED, "too_many_requests");

        private final Kind kind;
        private final String code;

        Reason(String code) {
            this(Kind.INVALID, code);
        }

        Reason(Kind kind, String code) {
            this.kind = kind;
            this.code = code;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public String code() {
            return code;
        }
    }

    /** A mistake in the parameter {@code field}. */
    public QueryError(Reason reason, String message, String field) {
        super(reason, message, field, null, null);
    }

    private QueryError(String message, int retryAfterSeconds) {
        super(Reason.TOO_MANY_REQUESTS, message, null, retryAfterSeconds, null);
    }

    /** Refused because {@code message}'s limit of concurrent queries is reached; worth retrying after a while. */
    public static QueryError busy(String message, int retryAfterSeconds) {
        return new QueryError(message, retryAfterSeconds);
    }

    @Override
    public Reason reason() {
        return (Reason) super.reason();
    }
}
