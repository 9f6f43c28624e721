package io.sightline.auth;

import io.sightline.http.SessionLookup;
import io.sightline.http.SessionUser;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Dashboard sessions, kept only as the SHA-256 of the cookie's value. A session lives {@code ttl} after its last
 * use and never more than {@link #MAX_AGE} after its login. The expiry is moved forward at most once a minute,
 * so the dozen requests of one page view cost one write, not twelve.
 */
public final class SessionStore implements SessionLookup {
    public static final Duration MAX_AGE = Duration.ofDays(7);
    private static final Duration EXTEND_EVERY = Duration.ofMinutes(1);
    private static final String FIND = """
            SELECT s.user_id, u.role = 'admin', s.csrf_token, s.expires_at, s.login_at,
                   ARRAY(SELECT a.app_id FROM user_apps a WHERE a.user_id = u.id)
            FROM dashboard_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = ? AND s.expires_at > ?""";

    /** A new session: the cookie's value and the CSRF token, both shown only to the browser that signed in. */
    public record Created(String token, String csrfToken, Duration maxAge) {
        /** Never the secrets. */
        @Override
        public String toString() {
            return "Created[maxAge " + maxAge + "]";
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration ttl;

    public SessionStore(DataSource dataSource, Clock clock, Duration ttl) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Signs the user in; sessions that have ended are swept on the way, so the table holds only live ones. */
    public Created create(long userId) throws SQLException {
        String token = Secrets.token("", 32);
        String csrf = Secrets.token("", 24);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dashboard_sessions WHERE expires_at <= ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dashboard_sessions"
                    + " (token_hash, user_id, csrf_token, created_at, expires_at, login_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setBytes(1, Secrets.sha256(token));
                ps.setLong(2, userId);
                ps.setString(3, csrf);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(now.plus(ttl)));
                ps.setTimestamp(6, Timestamp.from(now));
                ps.executeUpdate();
            }
        }
        return new Created(token, csrf, ttl);
    }

    @Override
    public Optional<SessionUser> find(String token) throws SQLException {
        if (token == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        byte[] hash = Secrets.sha256(token);
        try (Connection c = dataSource.getConnection()) {
            SessionUser user;
            Instant expires;
            Instant login;
            try (PreparedStatement ps = c.prepareStatement(FIND)) {
                ps.setBytes(1, hash);
                ps.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    user = new SessionUser(rs.getLong(1), rs.getBoolean(2),
                            Set.copyOf(Arrays.asList((Long[]) rs.getArray(6).getArray())), rs.getString(3));
                    expires = rs.getTimestamp(4).toInstant();
                    login = rs.getTimestamp(5).toInstant();
                }
            }
            Instant extended = earliest(now.plus(ttl), login.plus(MAX_AGE));
            if (extended.isAfter(expires.plus(EXTEND_EVERY))) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE dashboard_sessions SET expires_at = ? WHERE token_hash = ?")) {
                    ps.setTimestamp(1, Timestamp.from(extended));
                    ps.setBytes(2, hash);
                    ps.executeUpdate();
                }
            }
            return Optional.of(user);
        }
    }

    /** Signs out: the session's row goes. */
    public void delete(String token) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM dashboard_sessions WHERE token_hash = ?")) {
            ps.setBytes(1, Secrets.sha256(token));
            ps.executeUpdate();
        }
    }

    /** Ends every session of a user (a password reset, a deletion). */
    public void deleteAll(long userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            deleteAll(c, userId);
        }
    }

    static void deleteAll(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM dashboard_sessions WHERE user_id = ?")) {
            ps.setLong(1, userId);
            ps.executeUpdate();
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
