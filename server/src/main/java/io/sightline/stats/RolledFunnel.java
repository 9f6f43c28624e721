package io.sightline.stats;

import io.sightline.funnel.FunnelDefinition;
import io.sightline.funnel.FunnelTally;
import io.sightline.funnel.GapHistogram;
import io.sightline.rollup.RollupStore;
import io.sightline.sketch.UniqueSketch;
import org.jooq.DSLContext;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which part of a funnel query the daily funnel rollups (V19) answer. Only a query asking exactly one of
 * {@link FunnelDefinition#ROLLED} (its steps, window and count), with no filter, qualifies; of its range, the whole
 * local days whose funnel rows were rolled in the query's time zone and that no late-event mark touches come from
 * them, and the rest (the range's partial days, days not rolled or marked, today) raw. Each raw part is counted
 * on its own, its chains started inside it and followed one window past its end, so the parts and the days are
 * disjoint sets of chain starts and their actor sets unite into the range's ({@link FunnelTally}).
 */
final class RolledFunnel {
    /** The rolled days found for a query and the raw parts around them. */
    record Plan(FunnelDefinition definition, List<RollupStore.FunnelDay> days, List<TimeRange> raw) {}

    private RolledFunnel() {
    }

    /** The plan, or empty when the query is not a rolled definition or no day of its range is rolled. */
    static Optional<Plan> plan(DSLContext sql, RollupStore rollups, FunnelQuery query) {
        Optional<FunnelDefinition> definition = definition(query);
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        StatsQuery stats = query.stats();
        ZoneId zone = stats.zone();
        LocalDate first = LocalDate.ofInstant(stats.from(), zone);
        if (first.atStartOfDay(zone).toInstant().isBefore(stats.from())) {
            first = first.plusDays(1);
        }
        LocalDate last = LocalDate.ofInstant(stats.to(), zone).minusDays(1);
        if (last.isBefore(first)) {
            return Optional.empty();
        }
        List<RollupStore.FunnelDay> days = rollups.funnelDays(sql, stats.appId(), definition.get(), first, last, zone);
        if (days.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Plan(definition.get(), days, raw(stats, days)));
    }

    /** The rolled definition the query asks for exactly, if any: same steps, window and count, and no filter. */
    static Optional<FunnelDefinition> definition(FunnelQuery query) {
        if (!query.stats().filters().isEmpty() || !query.stats().eventTypes().isEmpty()) {
            return Optional.empty();
        }
        List<String> steps = new ArrayList<>();
        for (FunnelStep step : query.steps()) {
            if (!step.wholeType()) {
                return Optional.empty();
            }
            steps.add(step.type().wireName());
        }
        return FunnelDefinition.find(steps, query.window(), query.count() == FunnelQuery.Count.SESSIONS);
    }

    /** Merges the rolled days' rows into {@code tally}; an unreadable row throws IllegalArgumentException. */
    static void merge(Plan plan, FunnelTally tally) {
        for (RollupStore.FunnelDay day : plan.days()) {
            for (int k = 1; k <= tally.steps(); k++) {
                tally.merge(k, UniqueSketch.fromBytes(day.actors()[k - 1]), GapHistogram.fromBytes(day.gaps()[k - 1]));
            }
        }
    }

    /** The query's range without the rolled days, as few ranges as possible. */
    private static List<TimeRange> raw(StatsQuery stats, List<RollupStore.FunnelDay> days) {
        List<TimeRange> raw = new ArrayList<>();
        Instant cursor = stats.from();
        for (RollupStore.FunnelDay day : days) {
            Instant start = day.day().atStartOfDay(stats.zone()).toInstant();
            if (start.isAfter(cursor)) {
                raw.add(new TimeRange(cursor, start));
            }
            cursor = day.day().plusDays(1).atStartOfDay(stats.zone()).toInstant();
        }
        if (cursor.isBefore(stats.to())) {
            raw.add(new TimeRange(cursor, stats.to()));
        }
        return raw;
    }
}
