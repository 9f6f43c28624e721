package io.sightline.auth;

import io.sightline.http.AdminTokenLookup;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Admin tokens, kept only as SHA-256 digests. */
public final class AdminTokenStore implements AdminTokenLookup {
    private final DataSource dataSource;

    public AdminTokenStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates a token and returns it; this is the only moment the plain token exists. */
    public String create(String label) throws SQLException {
        String token = Secrets.token("sla_", 32);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO admin_tokens (token_hash, label) VALUES (?, ?)")) {
            ps.setBytes(1, Secrets.sha256(token));
            ps.setString(2, label);
            ps.executeUpdate();
        }
        return token;
    }

    /** The id ({@code admin_tokens.id}) of this token, or empty when it is not an admin token. */
    @Override
    public Optional<Long> find(String token) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM admin_tokens WHERE token_hash = ?")) {
            ps.setBytes(1, Secrets.sha256(token));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public boolean isEmpty() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM admin_tokens)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
