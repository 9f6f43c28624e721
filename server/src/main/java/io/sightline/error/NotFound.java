package io.sightline.error;

/**
 * The thing asked for does not exist, or the caller may not see it: an app, a backfill, a token. Shared because
 * every feature looks things up by id and answers a miss the same way.
 */
public final class NotFound extends DomainException {
    private static final long serialVersionUID = 1L;

    private enum Code implements Reason {
        NOT_FOUND {
            @Override
            public Kind kind() {
                return Kind.NOT_FOUND;
            }
        }
    }

    /** {@code message} says what is missing ("no app with that id"). */
    public NotFound(String message) {
        super(Code.NOT_FOUND, message, null, null, null);
    }

    /** The app of the request's path does not exist. */
    public static NotFound app() {
        return new NotFound("no app with that id");
    }
}
