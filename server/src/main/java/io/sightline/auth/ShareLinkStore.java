package io.sightline.auth;

import io.sightline.http.Actor;
import io.sightline.http.ShareLookup;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Share links per app, kept only as SHA-256 digests. Looked up on every request, uncached, so a revoked link
 * stops working at once.
 */
public final class ShareLinkStore implements ShareLookup {
    /** Prefix of every share token, told apart from admin (sla_) and API tokens (slr_). */
    public static final String PREFIX = "shr_";
    private static final String COLUMNS = "id, label, created_at, revoked_at";

    /** A new link and its token: this is the only moment the token exists. */
    public record Created(ShareLink link, String token) {}

    private final DataSource dataSource;
    private final Clock clock;

    public ShareLinkStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public Created create(long appId, String label, Actor createdBy) throws SQLException {
        String token = Secrets.token(PREFIX, 32);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO share_links (app_id, token_hash, label, created_at, created_by, created_by_kind)"
                        + " VALUES (?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setLong(1, appId);
            ps.setBytes(2, Secrets.sha256(token));
            ps.setString(3, label);
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            ps.setLong(5, createdBy.id());
            ps.setString(6, createdBy.kind());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Created(read(rs), token);
            }
        }
    }

    public List<ShareLink> list(long appId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM share_links WHERE app_id = ? ORDER BY id")) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                List<ShareLink> links = new ArrayList<>();
                while (rs.next()) {
                    links.add(read(rs));
                }
                return links;
            }
        }
    }

    /** Revokes a link of this app; false when it has none with that id. Revoking twice keeps the first time. */
    public boolean revoke(long appId, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE share_links SET revoked_at = coalesce(revoked_at, ?) WHERE app_id = ? AND id = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setLong(2, appId);
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    @Override
    public Optional<Long> appOf(String token) throws SQLException {
        if (token.length() > 128) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT app_id FROM share_links WHERE token_hash = ? AND revoked_at IS NULL")) {
            ps.setBytes(1, Secrets.sha256(token));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static ShareLink read(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp(4);
        return new ShareLink(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
