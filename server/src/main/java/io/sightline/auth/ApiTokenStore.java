package io.sightline.auth;

import io.sightline.http.Actor;
import io.sightline.http.ApiTokenLookup;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Read-only API tokens per app, kept only as SHA-256 digests. */
public final class ApiTokenStore implements ApiTokenLookup {
    /** Prefix of every API token, so a leaked one is recognisable (and told apart from admin tokens, sla_). */
    public static final String PREFIX = "slr_";

    private final DataSource dataSource;
    private final Clock clock;

    public ApiTokenStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A new token and its plain secret: this is the only moment the secret exists. */
    public record Created(ApiToken token, String secret) {
    }

    public Created create(long appId, String label, Actor createdBy) throws SQLException {
        String secret = Secrets.token(PREFIX, 32);
        String sql = "INSERT INTO api_tokens (app_id, token_hash, label, created_by, created_by_kind, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)"
                + " RETURNING id, app_id, label, created_at, revoked_at";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, appId);
            ps.setBytes(2, Secrets.sha256(secret));
            ps.setString(3, label);
            ps.setLong(4, createdBy.id());
            ps.setString(5, createdBy.kind());
            ps.setTimestamp(6, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Created(read(rs), secret);
            }
        }
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    /** The app a live (not revoked) token belongs to; empty for anything else. */
    @Override
    public Optional<Long> appOf(String secret) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT app_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL")) {
            ps.setBytes(1, Secrets.sha256(secret));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public List<ApiToken> list(long appId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, app_id, label, created_at, revoked_at FROM api_tokens WHERE app_id = ? ORDER BY id")) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                List<ApiToken> tokens = new ArrayList<>();
                while (rs.next()) {
                    tokens.add(read(rs));
                }
                return tokens;
            }
        }
    }

    /** Revokes a token of this app; false when the app has no such token. Revoking twice keeps the first time. */
    public boolean revoke(long appId, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE app_id = ? AND id = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setLong(2, appId);
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static ApiToken read(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiToken(rs.getLong("id"), rs.getLong("app_id"), rs.getString("label"),
                rs.getTimestamp("created_at").toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
