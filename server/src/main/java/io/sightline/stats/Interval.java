package io.sightline.stats;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Optional;

/**
 * A time series' bucket size, in local time of the requested zone. Weeks start on Monday (ISO, as PostgreSQL's
 * {@code date_trunc('week', …)}). Only whole-day buckets can be answered from the daily rollups.
 */
public enum Interval {
    HOUR("hour"),
    DAY("day"),
    WEEK("week"),
    MONTH("month");

    private final String wireName;

    Interval(String wireName) {
        this.wireName = wireName;
    }

    /** Also the unit name of PostgreSQL's {@code date_trunc}. */
    public String wireName() {
        return wireName;
    }

    public static Optional<Interval> byName(String name) {
        return Arrays.stream(values()).filter(i -> i.wireName.equals(name)).findFirst();
    }

    boolean wholeDays() {
        return this != HOUR;
    }

    /** The start of the bucket holding {@code local}. */
    LocalDateTime truncate(LocalDateTime local) {
        return switch (this) {
            case HOUR -> local.truncatedTo(ChronoUnit.HOURS);
            case DAY -> local.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> local.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> local.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        };
    }

    LocalDateTime next(LocalDateTime bucket) {
        return switch (this) {
            case HOUR -> bucket.plusHours(1);
            case DAY -> bucket.plusDays(1);
            case WEEK -> bucket.plusWeeks(1);
            case MONTH -> bucket.plusMonths(1);
        };
    }
}
