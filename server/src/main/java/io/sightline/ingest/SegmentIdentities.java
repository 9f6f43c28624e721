package io.sightline.ingest;

import io.sightline.error.StorageUnavailable;
import io.sightline.event.Traits;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The links Segment's {@code identify} and {@code alias} make from an anonymous visitor to a user of an app (table
 * {@value #TABLE}), and the lookup that gives later anonymous events of that visitor the user's id.
 *
 * <p>Most apps never send {@code identify} and most visitors are never identified, so this instance remembers for
 * {@link #UNKNOWN_FOR} whether an app has any link at all, and which visitors had none (bounded; cleared when
 * full): an app without links costs one query per {@link #UNKNOWN_FOR}, and so does a busy anonymous visitor of an
 * app with links, instead of one per request. Links themselves are always read from the table, so an erased link is
 * never applied again; a link made on another instance applies here within {@link #UNKNOWN_FOR}, one made here at
 * once.
 */
public final class SegmentIdentities {
    /** The table's name, for privacy erasure. */
    public static final String TABLE = "segment_identities";
    static final Duration UNKNOWN_FOR = Duration.ofSeconds(30);
    private static final int MAX_UNKNOWN = 100_000;

    private record Key(long appId, String visitorId) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Instant> unknown = new ConcurrentHashMap<>();
    /** Per app: whether it had any link when last asked, and until when that answer is used. */
    private final ConcurrentHashMap<Long, LinksKnown> apps = new ConcurrentHashMap<>();

    private record LinksKnown(boolean any, Instant until) {}

    public SegmentIdentities(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Stores (or replaces) each link; a trait not given keeps its earlier digest. */
    void link(long appId, List<SegmentMessage.Link> links) {
        if (links.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO " + TABLE + " (app_id, visitor_id, user_id, email_sha256, phone_sha256,"
                + " phone_e164_sha256, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (app_id, visitor_id) DO UPDATE SET user_id = EXCLUDED.user_id,"
                + " email_sha256 = COALESCE(EXCLUDED.email_sha256, " + TABLE + ".email_sha256),"
                + " phone_sha256 = COALESCE(EXCLUDED.phone_sha256, " + TABLE + ".phone_sha256),"
                + " phone_e164_sha256 = COALESCE(EXCLUDED.phone_e164_sha256, " + TABLE + ".phone_e164_sha256),"
                + " updated_at = EXCLUDED.updated_at";
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (SegmentMessage.Link link : links) {
                Traits traits = link.traits();
                ps.setLong(1, appId);
                ps.setString(2, link.visitorId());
                ps.setString(3, link.userId());
                ps.setString(4, traits.emailSha256());
                ps.setString(5, traits.phoneSha256());
                ps.setString(6, traits.phoneE164Sha256());
                ps.setTimestamp(7, now);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw failure(e);
        }
        for (SegmentMessage.Link link : links) {
            unknown.remove(new Key(appId, link.visitorId()));
        }
        apps.put(appId, new LinksKnown(true, clock.instant().plus(UNKNOWN_FOR)));
    }

    /** The user of each of these visitors that has a link; visitors without one are left out. */
    Map<String, String> usersOf(long appId, Collection<String> visitorIds) {
        Instant now = clock.instant();
        if (visitorIds.isEmpty() || !anyLinks(appId, now)) {
            return Map.of();
        }
        List<String> asked = visitorIds.stream().filter(v -> {
            Instant until = unknown.get(new Key(appId, v));
            return until == null || !until.isAfter(now);
        }).distinct().toList();
        if (asked.isEmpty()) {
            return Map.of();
        }
        Map<String, String> users = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT visitor_id, user_id FROM " + TABLE
                     + " WHERE app_id = ? AND visitor_id = ANY (?)")) {
            Array ids = c.createArrayOf("text", asked.toArray());
            ps.setLong(1, appId);
            ps.setArray(2, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        if (unknown.size() + asked.size() > MAX_UNKNOWN) {
            unknown.clear();
        }
        Instant until = now.plus(UNKNOWN_FOR);
        for (String visitor : asked) {
            if (!users.containsKey(visitor)) {
                unknown.put(new Key(appId, visitor), until);
            }
        }
        return users;
    }

    /** Whether the app has any link: asked once per {@link #UNKNOWN_FOR}, and known at once after a link here. */
    private boolean anyLinks(long appId, Instant now) {
        LinksKnown known = apps.get(appId);
        if (known != null && known.until().isAfter(now)) {
            return known.any();
        }
        boolean any;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + TABLE + " WHERE app_id = ?)")) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                any = rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        // A link made here meanwhile has put a fresh "yes"; this answer, read before it, must not undo that.
        return apps.merge(appId, new LinksKnown(any, now.plus(UNKNOWN_FOR)),
                (earlier, read) -> earlier.any() && earlier.until().isAfter(now) ? earlier : read).any();
    }

    private static RuntimeException failure(SQLException e) {
        return StorageUnavailable.isUnavailable(e) ? new StorageUnavailable(e)
                : new IllegalStateException("the Segment identity links could not be read or written", e);
    }
}
