package io.sightline.stats;

import io.sightline.rollup.RollupStore;
import io.sightline.store.Dimension;
import org.jooq.DSLContext;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which days of a query the rollups answer (V5__rollups.sql is the contract; {@link RollupStore} reads what is
 * rolled). A local day is read from rollups only when it lies whole inside the range and was rolled in the requested
 * time zone with no late-event mark (a UTC date) on the day before, the day itself or the day after (a local day
 * overlaps those UTC dates). A day in progress whose rollup counts its events before its {@code until} (V11) is read
 * from rollups up to then when it lies whole inside the range, and raw from then on. Everything else (the ranges'
 * partial days, days with late events, the rest of today) is read raw.
 *
 * <p>A local month is read from the monthly rollups when every one of its days may be read from rollups by the rule
 * above and its monthly rows are built in the requested time zone (they then merge exactly those days' rows), and
 * the endpoint allows months (not when its buckets are days or weeks). The other rolled days are read from the
 * daily rollups.
 *
 * <p>The rollups hold one row per dimension value, so they can answer only queries without dimension filters, or
 * with one equality filter on the dimension being broken down by (or on any dimension when there is no breakdown).
 *
 * <p>A day or month whose rows are known to be damaged ({@link DamagedRollups}) is not read from them: a month's days
 * then come from the daily rollups, a day from raw events.
 */
final class ReadPlanner {
    private static final String ALL = "";

    private ReadPlanner() {
    }

    /**
     * The plan for {@code query}, broken down by {@code breakdown} (empty: no breakdown); {@code rollupsAllowed} is
     * false when the endpoint itself needs raw events (hourly buckets), {@code monthsAllowed} false when a month's
     * merged row cannot answer it (buckets smaller than a month); the parts in {@code damaged} are left out.
     */
    static ReadPlan plan(DSLContext sql, RollupStore rollups, StatsQuery query, Optional<Dimension> breakdown,
                         boolean rollupsAllowed, boolean monthsAllowed, DamagedRollups damaged) {
        Optional<String[]> slice = slice(query, breakdown);
        ZoneId zone = query.zone();
        LocalDate first = LocalDate.ofInstant(query.from(), zone);
        if (first.atStartOfDay(zone).toInstant().isBefore(query.from())) {
            first = first.plusDays(1);
        }
        LocalDate last = LocalDate.ofInstant(query.to(), zone).minusDays(1);
        if (!rollupsAllowed || slice.isEmpty() || last.isBefore(first)) {
            return new ReadPlan(List.of(), List.of(), List.of(), List.of(new TimeRange(query.from(), query.to())),
                    ALL, ALL, Map.of(), Map.of());
        }
        List<LocalDate> rolled = new ArrayList<>();
        Map<LocalDate, Instant> partial = new HashMap<>();
        Map<LocalDate, Instant> rolledAt = new HashMap<>();
        for (RollupStore.RolledDay r : rollups.rolledDays(sql, query.appId(), first, last, zone)) {
            LocalDate day = r.day();
            Instant until = r.until();
            rolledAt.put(day, r.rolledAt());
            if (damaged.contains(query.appId(), false, day, r.rolledAt())) {
                continue;
            }
            if (until == null) {
                rolled.add(day);
            } else if (until.isAfter(day.atStartOfDay(zone).toInstant())) {
                partial.put(day, until);
            }
        }
        Map<LocalDate, Instant> monthsRolledAt = new HashMap<>();
        List<LocalDate> months = monthsAllowed
                ? months(sql, rollups, query, rolled, damaged, monthsRolledAt) : List.of();
        List<LocalDate> days = new ArrayList<>(rolled.size() + partial.size());
        Set<LocalDate> inMonths = new HashSet<>(months);
        for (LocalDate day : rolled) {
            if (!inMonths.contains(day.withDayOfMonth(1))) {
                days.add(day);
            }
        }
        days.addAll(partial.keySet());
        Collections.sort(days);
        List<LocalDate> partialDays = new ArrayList<>(partial.keySet());
        Collections.sort(partialDays);
        rolledAt.keySet().retainAll(days);
        return new ReadPlan(months, days, partialDays, complement(query, rolled, partial), slice.get()[0],
                slice.get()[1], rolledAt, monthsRolledAt);
    }

    /**
     * The months all of whose days are in {@code rolled} (sorted), that are built in the query's zone and not
     * damaged; each one's rolled_at goes into {@code rolledAt}.
     */
    private static List<LocalDate> months(DSLContext sql, RollupStore rollups, StatsQuery query,
                                          List<LocalDate> rolled, DamagedRollups damaged,
                                          Map<LocalDate, Instant> rolledAt) {
        Set<LocalDate> whole = new HashSet<>();
        int run = 0;
        LocalDate previous = null;
        for (LocalDate day : rolled) {
            run = previous != null && day.equals(previous.plusDays(1)) && day.getDayOfMonth() != 1 ? run + 1 : 1;
            previous = day;
            if (day.getDayOfMonth() == day.lengthOfMonth() && run == day.lengthOfMonth()) {
                whole.add(day.withDayOfMonth(1));
            }
        }
        if (whole.isEmpty()) {
            return List.of();
        }
        List<LocalDate> months = new ArrayList<>();
        for (RollupStore.RolledMonth r : rollups.rolledMonths(sql, query.appId(), rolled.get(0),
                rolled.get(rolled.size() - 1), query.zone())) {
            LocalDate month = r.month();
            Instant at = r.rolledAt();
            if (whole.contains(month) && !damaged.contains(query.appId(), true, month, at)) {
                months.add(month);
                rolledAt.put(month, at);
            }
        }
        return months;
    }

    /** The (dimension, value or null for any) of the rollup rows that answer this query, if the rollups can answer it at all. */
    private static Optional<String[]> slice(StatsQuery query, Optional<Dimension> breakdown) {
        if (query.filters().isEmpty()) {
            // A breakdown reads every value of its dimension (null: any value); otherwise the all-events row.
            return Optional.of(breakdown.isPresent() ? new String[] {breakdown.get().wireName(), null}
                    : new String[] {ALL, ALL});
        }
        Optional<Filter> only = query.singleEqualityFilter();
        if (only.isEmpty() || (breakdown.isPresent() && breakdown.get() != only.get().dimension())) {
            return Optional.empty();
        }
        return Optional.of(new String[] {only.get().dimension().wireName(), only.get().equalityValue().orElseThrow()});
    }

    /**
     * The parts of the query's range not covered by the rolled days (whole, or a partial day's part before its
     * {@code until}), merged into as few ranges as possible.
     */
    private static List<TimeRange> complement(StatsQuery query, List<LocalDate> rolled, Map<LocalDate, Instant> partial) {
        TreeMap<LocalDate, Instant> ends = new TreeMap<>(partial);
        for (LocalDate day : rolled) {
            ends.put(day, day.plusDays(1).atStartOfDay(query.zone()).toInstant());
        }
        List<TimeRange> raw = new ArrayList<>();
        Instant cursor = query.from();
        for (Map.Entry<LocalDate, Instant> day : ends.entrySet()) {
            Instant start = day.getKey().atStartOfDay(query.zone()).toInstant();
            if (start.isAfter(cursor)) {
                raw.add(new TimeRange(cursor, start));
            }
            cursor = day.getValue();
        }
        if (cursor.isBefore(query.to())) {
            raw.add(new TimeRange(cursor, query.to()));
        }
        return raw;
    }
}
