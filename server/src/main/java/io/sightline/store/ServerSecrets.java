package io.sightline.store;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Server-wide secrets, generated once and shared by every instance through the database. */
public final class ServerSecrets {
    private final DataSource dataSource;

    public ServerSecrets(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The secret of that name; made from SecureRandom the first time. Concurrent first calls agree on one. */
    public byte[] getOrCreate(String name, int bytes) throws SQLException {
        byte[] candidate = new byte[bytes];
        new SecureRandom().nextBytes(candidate);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, name);
                insert.setBytes(2, candidate);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT value FROM server_secrets WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        }
    }
}
