package io.sightline.rollup;

import io.sightline.store.LateMarkStore;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The late-event marks (kept by the store's {@link LateMarkStore}) as the rollup job and the backfill handle them:
 * read before the days they cover are rolled again, deleted afterwards only if they still have the
 * {@code marked_at} read. A writer that marked the same UTC date again meanwhile (its events perhaps committed after
 * the re-roll read the day) replaced marked_at, so its mark survives for the next run.
 *
 * <p>A mark is a UTC date; a roll covers local days of the app's time zone. A mark may go only when every local day
 * it overlaps was rolled after it was read.
 */
final class LateMarks {
    private final LateMarkStore store;

    LateMarks(DataSource dataSource) {
        this.store = new LateMarkStore(dataSource);
    }

    /** The marks of {@code appId} made no later than {@code notAfter}. */
    List<LateMarkStore.Mark> read(long appId, Instant notAfter) throws SQLException {
        return store.read(appId, notAfter);
    }

    /** Deletes those of {@code marks} that still have the marked_at read; returns how many it deleted. */
    int clear(long appId, List<LateMarkStore.Mark> marks) throws SQLException {
        return store.clear(appId, marks);
    }

    /** Those of {@code marks} all of whose local days in {@code zone} lie within [{@code from}, {@code to}]. */
    static List<LateMarkStore.Mark> within(List<LateMarkStore.Mark> marks, ZoneId zone, LocalDate from, LocalDate to) {
        List<LateMarkStore.Mark> covered = new ArrayList<>();
        for (LateMarkStore.Mark mark : marks) {
            List<LocalDate> days = overlapping(mark.utcDay(), zone);
            if (!days.get(0).isBefore(from) && !days.get(days.size() - 1).isAfter(to)) {
                covered.add(mark);
            }
        }
        return covered;
    }

    /**
     * The local days whose funnel rows (V19) read an instant of the UTC date {@code utcDay}: those rows read from
     * the day's start to its end plus {@code window}, so besides the days overlapping the date, the days before
     * whose end plus the window reaches into it.
     */
    static List<LocalDate> funnelDaysReading(LocalDate utcDay, ZoneId zone, Duration window) {
        Instant from = utcDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<LocalDate> overlapping = overlapping(utcDay, zone);
        List<LocalDate> days = new ArrayList<>(overlapping);
        for (LocalDate d = overlapping.get(0).minusDays(1);
             d.plusDays(1).atStartOfDay(zone).toInstant().plus(window).isAfter(from); d = d.minusDays(1)) {
            days.add(0, d);
        }
        return days;
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
