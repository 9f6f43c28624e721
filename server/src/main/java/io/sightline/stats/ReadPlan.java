package io.sightline.stats;

import java.time.LocalDate;
import java.util.List;

/**
 * How one query is read: these whole local days from the rollup tables (rows of {@code dimension} with {@code value}, any value
 * when it is null), and
 * these time ranges from raw events. Together they cover the query's range exactly once.
 */
public record ReadPlan(List<LocalDate> rolledDays, List<TimeRange> raw, String dimension, String value) {
    public ReadPlan {
        rolledDays = List.copyOf(rolledDays);
        raw = List.copyOf(raw);
    }

    public boolean usesRollups() {
        return !rolledDays.isEmpty();
    }
}
