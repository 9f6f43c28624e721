package io.sightline.auth;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code users} and {@code user_apps} tables. A change that could remove the last admin locks the admin rows
 * first, so two admins demoting each other at the same moment cannot both succeed.
 */
public final class UserStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String SELECT = """
            SELECT u.id, u.email, u.role,
                   ARRAY(SELECT a.app_id FROM user_apps a WHERE a.user_id = u.id ORDER BY a.app_id),
                   u.password_hash IS NOT NULL, u.created_at
            FROM users u""";

    /** What a sign-in checks; {@code passwordHash} is null until the user sets one. */
    public record Credentials(long userId, String passwordHash) {}

    private final DataSource dataSource;

    public UserStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Credentials> credentials(String email) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, password_hash FROM users WHERE email = ?")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Credentials(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    public List<User> list() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY u.id");
             ResultSet rs = ps.executeQuery()) {
            List<User> users = new ArrayList<>();
            while (rs.next()) {
                users.add(read(rs));
            }
            return users;
        }
    }

    public Optional<User> byId(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return byId(c, id);
        }
    }

    public boolean isEmpty() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM users)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** A new user without a password; a taken email is a {@code conflict}, an unknown app an invalid value. */
    public User create(String email, String role, Collection<Long> appIds) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO users (email, role) VALUES (?, ?) RETURNING id")) {
                    ps.setString(1, email);
                    ps.setString(2, role);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                grant(c, id, appIds);
                User user = byId(c, id).orElseThrow();
                c.commit();
                return user;
            } catch (SQLException e) {
                c.rollback();
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new AuthError(AuthError.Reason.CONFLICT, "email", "a user with that email exists", null);
                }
                throw unknownApp(e);
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Changes the role (null: unchanged) and the apps (null: unchanged); empty when there is no such user.
     * Demoting the last admin is refused with {@code last_admin}.
     */
    public Optional<User> update(long id, String role, Collection<Long> appIds) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (byId(c, id).isEmpty()) {
                    c.rollback();
                    return Optional.empty();
                }
                if (User.VIEWER.equals(role)) {
                    requireAnotherAdmin(c, id);
                }
                if (role != null) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE users SET role = ? WHERE id = ?")) {
                        ps.setString(1, role);
                        ps.setLong(2, id);
                        ps.executeUpdate();
                    }
                }
                if (appIds != null) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_apps WHERE user_id = ?")) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                    }
                    grant(c, id, appIds);
                }
                Optional<User> user = byId(c, id);
                c.commit();
                return user;
            } catch (SQLException e) {
                c.rollback();
                throw unknownApp(e);
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Deletes a user (its sessions, links and grants go with it); false when there is none. */
    public boolean delete(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                requireAnotherAdmin(c, id);
                boolean deleted;
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
                    ps.setLong(1, id);
                    deleted = ps.executeUpdate() == 1;
                }
                c.commit();
                return deleted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Sets (or, with null, clears) the password hash, on the caller's transaction. */
    static void setPasswordHash(Connection c, long id, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
            ps.setString(1, hash);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Refuses when {@code id} is an admin and no other admin exists; the admin rows stay locked until commit. */
    private static void requireAnotherAdmin(Connection c, long id) throws SQLException {
        List<Long> admins = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE role = 'admin' FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                admins.add(rs.getLong(1));
            }
        }
        if (admins.size() == 1 && admins.get(0) == id) {
            throw new AuthError(AuthError.Reason.LAST_ADMIN, "role",
                    "this is the last admin user; make another user admin first", null);
        }
    }

    private static void grant(Connection c, long userId, Collection<Long> appIds) throws SQLException {
        if (appIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO user_apps (user_id, app_id) SELECT ?, unnest(?::bigint[]) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, userId);
            ps.setArray(2, c.createArrayOf("bigint", appIds.toArray()));
            ps.executeUpdate();
        }
    }

    private static Optional<User> byId(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE u.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static SQLException unknownApp(SQLException e) {
        if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
            throw AuthError.invalid("app_ids", "app_ids names an app that does not exist");
        }
        return e;
    }

    private static User read(ResultSet rs) throws SQLException {
        Array apps = rs.getArray(4);
        List<Long> appIds = Arrays.stream((Long[]) apps.getArray()).toList();
        return new User(rs.getLong(1), rs.getString(2), rs.getString(3), appIds, rs.getBoolean(5),
                rs.getTimestamp(6).toInstant());
    }
}
