package io.sightline.auth;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code apps} table. */
public final class AppStore {
    private static final String COLUMNS = "id, name, write_key, created_at, retention_days, time_zone";

    private final DataSource dataSource;

    public AppStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public App create(String name, int retentionDays, String timeZone) throws SQLException {
        String sql = "INSERT INTO apps (name, write_key, retention_days, time_zone) VALUES (?, ?, ?, ?)"
                + " RETURNING " + COLUMNS;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setString(2, newWriteKey());
            ps.setInt(3, retentionDays);
            ps.setString(4, timeZone);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs);
            }
        }
    }

    public List<App> list() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM apps ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            List<App> apps = new ArrayList<>();
            while (rs.next()) {
                apps.add(read(rs));
            }
            return apps;
        }
    }

    public Optional<App> byId(long id) throws SQLException {
        return one("SELECT " + COLUMNS + " FROM apps WHERE id = ?", ps -> ps.setLong(1, id));
    }

    public Optional<App> byWriteKey(String writeKey) throws SQLException {
        return one("SELECT " + COLUMNS + " FROM apps WHERE write_key = ?", ps -> ps.setString(1, writeKey));
    }

    /** Replaces the app's write key; the old one stops working (see WriteKeyAuthenticator for caching). */
    public Optional<App> rotateWriteKey(long id) throws SQLException {
        return one("UPDATE apps SET write_key = ? WHERE id = ? RETURNING " + COLUMNS, ps -> {
            ps.setString(1, newWriteKey());
            ps.setLong(2, id);
        });
    }

    public boolean isEmpty() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM apps)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static String newWriteKey() {
        return Secrets.token("wk_", 18);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private Optional<App> one(String sql, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static App read(ResultSet rs) throws SQLException {
        return new App(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                rs.getInt(5), rs.getString(6));
    }
}
