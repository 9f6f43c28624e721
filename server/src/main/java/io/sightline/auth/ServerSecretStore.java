package io.sightline.auth;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code server_secrets} table: random keys made once and shared by every instance over the same database, so
 * that what one instance signs, another can check.
 */
public final class ServerSecretStore {
    private final DataSource dataSource;

    public ServerSecretStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The secret called {@code name}; the first caller makes it ({@code bytes} random bytes). Two instances
     * starting at once get the same value: the loser's insert does nothing and it reads the winner's.
     */
    public byte[] getOrCreate(String name, int bytes) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, name);
                insert.setBytes(2, Secrets.randomBytes(bytes));
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
