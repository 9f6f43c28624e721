package io.sightline.ingest;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;

/**
 * A Segment request refused as a whole. Segment answers 200 for everything but a body it cannot read, so these are
 * few: JSON that does not parse and a missing or unknown write key. A bad message
 * inside a good body is never one of these: it is dropped, counted and logged, and its siblings are stored.
 */
public final class SegmentRejection extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason implements io.sightline.error.Reason {
        /** The body is not one JSON object (or its {@code batch} not an array). */
        MALFORMED_JSON,
        /** No write key in a header or in the body's {@code writeKey}. */
        MISSING_WRITE_KEY {
            @Override
            public Kind kind() {
                return Kind.UNAUTHENTICATED;
            }
        },
        /** The write key names no app. */
        INVALID_WRITE_KEY {
            @Override
            public Kind kind() {
                return Kind.UNAUTHENTICATED;
            }
        }
    }

    static SegmentRejection missingWriteKey() {
        return new SegmentRejection(Reason.MISSING_WRITE_KEY, "send the app's write key as the HTTP Basic user, in"
                + " X-Write-Key, or as the body's writeKey", null);
    }

    static SegmentRejection invalidWriteKey() {
        return new SegmentRejection(Reason.INVALID_WRITE_KEY, "the write key is not valid", null);
    }

    SegmentRejection(Reason reason, String message, String field) {
        super(reason, message, field, null, null);
    }

    static SegmentRejection malformed(String message, String field) {
        return new SegmentRejection(Reason.MALFORMED_JSON, message, field);
    }
}
