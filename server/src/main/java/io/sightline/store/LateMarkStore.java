package io.sightline.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The late-event marks of {@code rollup_dirty} (V5__rollups.sql): one per app and UTC date on which a stored event
 * arrived after that date's rollup may have read it.
 *
 * <p>The store owns this table although only the rollups read it: the writer makes the marks inside its insert
 * transaction, in the same statement that stores the events ({@link BatchCommitter}), which is what guarantees that
 * a rolled day is never stale without a mark. Handing that statement a table of a higher layer would turn the
 * layering upside down, and a second statement would cost the writer a round trip. So the rollups read and clear the
 * marks only through this class, and their SQL refers to the table only through {@link #markNear}.
 */
public final class LateMarkStore {
    /** One mark as read: its UTC date and when it was made (or last renewed). */
    public record Mark(LocalDate utcDay, Timestamp markedAt) {}

    private final DataSource dataSource;

    public LateMarkStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The marks of {@code appId} made no later than {@code notAfter}. */
    public List<Mark> read(long appId, Instant notAfter) throws SQLException {
        List<Mark> marks = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT day, marked_at FROM rollup_dirty WHERE app_id = ? AND marked_at <= ?")) {
            ps.setLong(1, appId);
            ps.setTimestamp(2, Timestamp.from(notAfter));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    marks.add(new Mark(rs.getObject(1, LocalDate.class), rs.getTimestamp(2)));
                }
            }
        }
        return marks;
    }

    /**
     * Deletes those of {@code marks} that still have the marked_at read; returns how many it deleted. A writer that
     * marked the same date again meanwhile replaced marked_at, so its mark stays.
     */
    public int clear(long appId, List<Mark> marks) throws SQLException {
        if (marks.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM rollup_dirty WHERE app_id = ? AND day = ? AND marked_at = ?")) {
            for (Mark mark : marks) {
                ps.setLong(1, appId);
                ps.setObject(2, mark.utcDay());
                ps.setTimestamp(3, mark.markedAt());
                ps.addBatch();
            }
            int cleared = 0;
            for (int n : ps.executeBatch()) {
                cleared += Math.max(n, 0);
            }
            return cleared;
        }
    }

    /**
     * An SQL condition, true when the app {@code appId} has a mark on the UTC date before, on or after the date
     * {@code day} (a local day overlaps those UTC dates). Both are column expressions of the caller's own query,
     * never input.
     */
    public static String markNear(String appId, String day) {
        return markNear(appId, day, 1);
    }

    /**
     * As {@link #markNear(String, String)}, for rows that read past their day: true when there is a mark on a UTC
     * date from the one before {@code day} to {@code daysAfter} dates after it. {@code daysAfter} is a count the
     * caller computes, never input.
     */
    public static String markNear(String appId, String day, int daysAfter) {
        return "EXISTS (SELECT 1 FROM rollup_dirty m WHERE m.app_id = " + appId + " AND m.day BETWEEN " + day
                + " - 1 AND " + day + " + " + daysAfter + ")";
    }
}
