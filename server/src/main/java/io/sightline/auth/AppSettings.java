package io.sightline.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The apps' settings the background jobs need (time zone, retention), read on the caller's connection: a rollup
 * reads its app's zone inside its own transaction. The apps table is auth's; this is the way in for the jobs.
 */
public final class AppSettings {
    /** One app as the rollup and retention jobs see it. */
    public record Settings(long id, String timeZone, int retentionDays) {}

    private static final String COLUMNS = "SELECT id, time_zone, retention_days FROM apps";

    private AppSettings() {
    }

    /** @throws NoSuchElementException when there is no such app */
    public static String timeZone(Connection c, long appId) throws SQLException {
        return byId(c, appId).orElseThrow(() -> new NoSuchElementException("no app " + appId)).timeZone();
    }

    public static Optional<Settings> byId(Connection c, long appId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COLUMNS + " WHERE id = ?")) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Every app, by id. */
    public static List<Settings> all(Connection c) throws SQLException {
        List<Settings> apps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS + " ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                apps.add(read(rs));
            }
        }
        return apps;
    }

    private static Settings read(ResultSet rs) throws SQLException {
        return new Settings(rs.getLong(1), rs.getString(2), rs.getInt(3));
    }
}
