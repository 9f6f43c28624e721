package io.sightline.rollup;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The late-event marks of {@code rollup_dirty} (V5__rollups.sql) as the rollup job and the backfill handle them:
 * read before the days they cover are rolled again, deleted afterwards only if they still have the
 * {@code marked_at} read. A writer that marked the same UTC date again meanwhile (its events perhaps committed after
 * the re-roll read the day) replaced marked_at, so its mark survives for the next run.
 *
 * <p>A mark is a UTC date; a roll covers local days of the app's time zone. A mark may go only when every local day
 * it overlaps was rolled after it was read.
 */
final class LateMarks {
    /** One mark as read. */
    record Mark(LocalDate utcDay, Timestamp markedAt) {}

    private final DataSource dataSource;

    LateMarks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The marks of {@code appId} made no later than {@code notAfter}. */
    List<Mark> read(long appId, Instant notAfter) throws SQLException {
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

    /** Deletes those of {@code marks} that still have the marked_at read; returns how many it deleted. */
    int clear(long appId, List<Mark> marks) throws SQLException {
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

    /** Those of {@code marks} all of whose local days in {@code zone} lie within [{@code from}, {@code to}]. */
    static List<Mark> within(List<Mark> marks, ZoneId zone, LocalDate from, LocalDate to) {
        List<Mark> covered = new ArrayList<>();
        for (Mark mark : marks) {
            List<LocalDate> days = overlapping(mark.utcDay(), zone);
            if (!days.get(0).isBefore(from) && !days.get(days.size() - 1).isAfter(to)) {
                covered.add(mark);
            }
        }
        return covered;
    }

    /** The local days of {@code zone} that share an instant with the UTC date {@code utcDay} (one, two or three). */
    static List<LocalDate> overlapping(LocalDate utcDay, ZoneId zone) {
        Instant from = utcDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = utcDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1);
        List<LocalDate> days = new ArrayList<>(3);
        for (LocalDate d = LocalDate.ofInstant(from, zone); !d.isAfter(LocalDate.ofInstant(to, zone)); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }
}
