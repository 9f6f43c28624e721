package io.sightline.auth;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The {@code apps} table. */
public final class AppStore {
    private static final String COLUMNS = "id, name, write_key, created_at, retention_days, time_zone, umami_website_id,"
            + " event_types::text";
    private static final ObjectMapper JSON = new ObjectMapper();

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

    public Optional<App> byUmamiWebsite(UUID websiteId) throws SQLException {
        return one("SELECT " + COLUMNS + " FROM apps WHERE umami_website_id = ?", ps -> ps.setObject(1, websiteId));
    }

    /**
     * Changes what {@code change} gives (a null field is left as it is; {@link Change#clearUmamiWebsiteId} removes
     * the website id); empty for an unknown app.
     *
     * @throws AuthError (conflict) when another app already has the website id
     */
    public Optional<App> update(long id, Change change) throws SQLException {
        String sql = "UPDATE apps SET name = coalesce(?, name), time_zone = coalesce(?, time_zone),"
                + " retention_days = coalesce(?, retention_days),"
                + " umami_website_id = CASE WHEN ? THEN NULL ELSE coalesce(?, umami_website_id) END,"
                + " event_types = coalesce(?::jsonb, event_types) WHERE id = ? RETURNING " + COLUMNS;
        try {
            return one(sql, ps -> {
                ps.setString(1, change.name());
                ps.setString(2, change.timeZone());
                ps.setObject(3, change.retentionDays(), java.sql.Types.INTEGER);
                ps.setBoolean(4, change.clearUmamiWebsiteId());
                ps.setObject(5, change.umamiWebsiteId());
                ps.setString(6, change.eventTypes() == null ? null : json(change.eventTypes()));
                ps.setLong(7, id);
            });
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new AuthError(AuthError.Reason.CONFLICT, "umami_website_id",
                        "another app already has this umami_website_id", null);
            }
            throw e;
        }
    }

    /** What a PATCH changes; null fields stay as they are. */
    public record Change(String name, String timeZone, Integer retentionDays, UUID umamiWebsiteId,
                         boolean clearUmamiWebsiteId, Map<String, String> eventTypes) {}

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
                rs.getInt(5), rs.getString(6), rs.getObject(7, UUID.class), eventTypes(rs.getString(8)));
    }

    private static Map<String, String> eventTypes(String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("apps.event_types is not an object of strings", e);
        }
    }

    private static String json(Map<String, String> eventTypes) throws SQLException {
        try {
            return JSON.writeValueAsString(new java.util.TreeMap<>(eventTypes));
        } catch (JsonProcessingException e) {
            throw new SQLException("event_types could not be written", e);
        }
    }
}
