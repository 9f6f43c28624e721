package io.sightline.auth;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One-time links that set a user's password ({@code /setup#<token>}), kept only as SHA-256 digests. A link is
 * used up in the same transaction that sets the password, so two uses racing cannot both win.
 */
public final class PasswordLinkStore {
    /** How long a link works: long enough to reach a colleague by mail over a weekend. */
    public static final Duration VALID_FOR = Duration.ofDays(7);
    private static final String PREFIX = "slp_";

    private final DataSource dataSource;
    private final Clock clock;

    public PasswordLinkStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The path the page opens to set a password, with a new token in the fragment (never sent to a server). */
    public static String path(String token) {
        return "/setup#" + token;
    }

    /** A new link for the user; this is the only moment the token exists. */
    public String create(long userId) throws SQLException {
        String token = Secrets.token(PREFIX, 32);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO password_links (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            ps.setBytes(1, Secrets.sha256(token));
            ps.setLong(2, userId);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setTimestamp(4, Timestamp.from(now.plus(VALID_FOR)));
            ps.executeUpdate();
        }
        return token;
    }

    /**
     * A reset: the user's password, unused links and sessions are gone, and a new link is made; all or nothing.
     */
    public String reset(long userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM password_links WHERE user_id = ? AND used_at IS NULL")) {
                    ps.setLong(1, userId);
                    ps.executeUpdate();
                }
                UserStore.setPasswordHash(c, userId, null);
                SessionStore.deleteAll(c, userId);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return create(userId);
    }

    /** Whether the token is a live link (unused, not expired): checked before the costly hash is computed. */
    public boolean isLive(String token) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM password_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")) {
            ps.setBytes(1, Secrets.sha256(token));
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Uses the link up and gives its user the password hash; the user's other sessions end. Empty when the link
     * is unknown, used or expired (and then nothing changed).
     */
    public Optional<Long> redeem(String token, String passwordHash) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Long userId = null;
                try (PreparedStatement ps = c.prepareStatement("UPDATE password_links SET used_at = ?"
                        + " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setBytes(2, Secrets.sha256(token));
                    ps.setTimestamp(3, Timestamp.from(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            userId = rs.getLong(1);
                        }
                    }
                }
                if (userId == null) {
                    c.rollback();
                    return Optional.empty();
                }
                UserStore.setPasswordHash(c, userId, passwordHash);
                SessionStore.deleteAll(c, userId);
                c.commit();
                return Optional.of(userId);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
