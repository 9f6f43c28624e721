package io.sightline.auth;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;

/** A refused sign-in or user change: wrong credentials, too many attempts, a dead link, a clash. */
public final class AuthError extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason implements io.sightline.error.Reason {
        INVALID_VALUE,
        /** A password link that is unknown, used or expired. */
        INVALID_LINK,
        /** Wrong email or password, answered alike so the answer does not tell which emails exist. */
        INVALID_CREDENTIALS {
            @Override
            public Kind kind() {
                return Kind.UNAUTHENTICATED;
            }
        },
        TOO_MANY_ATTEMPTS {
            @Override
            public Kind kind() {
                return Kind.RATE_LIMITED;
            }
        },
        /** A user with that email exists already. */
        CONFLICT {
            @Override
            public Kind kind() {
                return Kind.CONFLICT;
            }
        },
        /** The change would leave no admin user, and nobody could administer the server from the dashboard. */
        LAST_ADMIN {
            @Override
            public Kind kind() {
                return Kind.CONFLICT;
            }
        },
        /** Password hashing is saturated (many logins at once). */
        BUSY {
            @Override
            public Kind kind() {
                return Kind.UNAVAILABLE;
            }
        }
    }

    public AuthError(Reason reason, String field, String message, Integer retryAfterSeconds) {
        super(reason, message, field, retryAfterSeconds, null);
    }

    public static AuthError invalid(String field, String message) {
        return new AuthError(Reason.INVALID_VALUE, field, message, null);
    }

    public static AuthError invalidCredentials() {
        return new AuthError(Reason.INVALID_CREDENTIALS, null, "wrong email or password", null);
    }

    public static AuthError invalidLink() {
        return new AuthError(Reason.INVALID_LINK, "token", "the link is not valid: unknown, used already or expired",
                null);
    }

    static AuthError busy() {
        return new AuthError(Reason.BUSY, null, "too many sign-ins at once; retry shortly", 1);
    }
}
