package io.sightline.destinations;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;

/** A refused destination request: an invalid config or mapping (naming the field), or an unknown destination. */
public final class DestinationError extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason implements io.sightline.error.Reason {
        INVALID_CONFIG, INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD,
        NOT_FOUND {
            @Override
            public Kind kind() {
                return Kind.NOT_FOUND;
            }
        },
        /** The app has a destination of that name already (names are unique per app). */
        NAME_TAKEN {
            @Override
            public Kind kind() {
                return Kind.CONFLICT;
            }
        }
    }

    public DestinationError(Reason reason, String field, String message) {
        super(reason, message, field, null, null);
    }

    public static DestinationError invalid(String field, String message) {
        return new DestinationError(Reason.INVALID_VALUE, field, message);
    }
}
