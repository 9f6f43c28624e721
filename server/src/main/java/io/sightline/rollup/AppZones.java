package io.sightline.rollup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/** The apps as the rollup and retention jobs see them: id, time zone, retention. */
final class AppZones {
    record AppInfo(long id, String timeZone, int retentionDays) {}

    private AppZones() {
    }

    static String timeZone(Connection c, long appId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT time_zone FROM apps WHERE id = ?")) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchElementException("no app " + appId);
                }
                return rs.getString(1);
            }
        }
    }

    static List<AppInfo> all(Connection c) throws SQLException {
        List<AppInfo> apps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, time_zone, retention_days FROM apps ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                apps.add(new AppInfo(rs.getLong(1), rs.getString(2), rs.getInt(3)));
            }
        }
        return apps;
    }
}
