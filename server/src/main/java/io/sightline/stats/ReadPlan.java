package io.sightline.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * How one query is read: these whole local months from the monthly rollup tables (by their first day), these other
 * local days from the daily rollup tables (rows of {@code dimension} with {@code value}, any value when it is
 * null), and these time ranges from raw events. Together they cover the query's range exactly once. The days in
 * {@code partialDays} (also in {@code rolledDays}) are days in progress whose rows count only their first part;
 * the raw ranges hold the rest of them. {@code rolledAt} and {@code monthsRolledAt} say when each rolled day and
 * month was rolled (what {@link DamagedRollups} remembers a damaged one by).
 */
public record ReadPlan(List<LocalDate> rolledMonths, List<LocalDate> rolledDays, List<LocalDate> partialDays,
                       List<TimeRange> raw, String dimension, String value, Map<LocalDate, Instant> rolledAt,
                       Map<LocalDate, Instant> monthsRolledAt) {
    public ReadPlan {
        rolledAt = Map.copyOf(rolledAt);
        monthsRolledAt = Map.copyOf(monthsRolledAt);
        rolledMonths = List.copyOf(rolledMonths);
        rolledDays = List.copyOf(rolledDays);
        partialDays = List.copyOf(partialDays);
        raw = List.copyOf(raw);
    }

    public boolean usesRollups() {
        return !rolledMonths.isEmpty() || !rolledDays.isEmpty();
    }

    /** All days answered from rollups, those of the rolled months included. */
    public int rolledDayCount() {
        int days = rolledDays.size();
        for (LocalDate month : rolledMonths) {
            days += month.lengthOfMonth();
        }
        return days;
    }
}
