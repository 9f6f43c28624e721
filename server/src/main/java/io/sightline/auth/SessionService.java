package io.sightline.auth;

import java.sql.SQLException;
import java.util.Locale;

/**
 * Signing in to the dashboard: with an email and password (rate-limited, and answered alike for an unknown email
 * and a wrong password), or with a one-time password link, which sets the password and signs in at once.
 */
public final class SessionService {
    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 200;

    /** A user who has just signed in, and the session to hand to the browser. */
    public record SignedIn(User user, SessionStore.Created session) {}

    private final UserStore users;
    private final SessionStore sessions;
    private final PasswordLinkStore links;
    private final PasswordHasher hasher;
    private final LoginLimiter limiter;

    public SessionService(UserStore users, SessionStore sessions, PasswordLinkStore links, PasswordHasher hasher,
                          LoginLimiter limiter) {
        this.users = users;
        this.sessions = sessions;
        this.links = links;
        this.hasher = hasher;
        this.limiter = limiter;
    }

    /** Emails are compared trimmed and lower-cased, as they are stored. */
    public static String normaliseEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /** {@code client}: the client's address, counted by the limiter beside the email. */
    public SignedIn login(String email, String password, String client) throws SQLException {
        String normalised = normaliseEmail(email);
        limiter.attempt(normalised, client);
        // Over-long input is verified like any wrong password, so its answer takes as long.
        boolean plausible = password.length() <= MAX_PASSWORD && normalised.length() <= 254;
        var credentials = plausible ? users.credentials(normalised) : java.util.Optional.<UserStore.Credentials>empty();
        String hash = credentials.map(UserStore.Credentials::passwordHash).orElse(null);
        if (!hasher.verify(plausible ? password : "", hash)) {
            throw AuthError.invalidCredentials();
        }
        limiter.succeeded(normalised, client);
        long userId = credentials.get().userId();
        return new SignedIn(users.byId(userId).orElseThrow(AuthError::invalidCredentials), sessions.create(userId));
    }

    /** Uses a one-time link: the password is set (10 to 200 characters), the link is dead, the user signed in. */
    public SignedIn setPassword(String token, String password) throws SQLException {
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw AuthError.invalid("password", "the password must have " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters");
        }
        if (token.length() > 128 || !links.isLive(token)) {
            throw AuthError.invalidLink();
        }
        long userId = links.redeem(token, hasher.hash(password)).orElseThrow(AuthError::invalidLink);
        return new SignedIn(users.byId(userId).orElseThrow(AuthError::invalidLink), sessions.create(userId));
    }

    public void logout(String sessionToken) throws SQLException {
        sessions.delete(sessionToken);
    }
}
