package io.sightline.stats;

import io.sightline.rollup.RollupStore;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The summary of a range: events per type, visitors, sessions, conversions, conversion rate (visitors who converted
 * / visitors), conversion value per currency; the same for the previous period of the same length, and the change.
 */
public final class SummaryService {
    private static final String CONVERSION = "conversion";

    private final JooqRunner db;
    private final DamagedRollups damaged;
    private final RollupStore rollups;

    public SummaryService(JooqRunner db, DamagedRollups damaged, RollupStore rollups) {
        this.db = db;
        this.damaged = damaged;
        this.rollups = rollups;
    }

    /** One period's figures. */
    public record Period(String from, String to, long events, Map<String, Long> eventsByType, long visitors,
                         long sessions, long conversions, long convertedVisitors, double conversionRate,
                         List<ConversionValues.CurrencyValue> conversionValue, int rolledDays,
                         int rolledMonths) {
    }

    /** Relative change of counts ((current - previous) / previous; null when previous is 0), rate in points. */
    public record Change(Double events, Double visitors, Double sessions, Double conversions,
                         double conversionRate) {
    }

    public record Summary(String timeZone, Period current, Period previous, Change change) {
    }

    public Summary summary(StatsQuery query) throws SQLException {
        Period current = period(query);
        Period previous = period(query.previousPeriod());
        Change change = new Change(relative(current.events(), previous.events()),
                relative(current.visitors(), previous.visitors()), relative(current.sessions(), previous.sessions()),
                relative(current.conversions(), previous.conversions()),
                current.conversionRate() - previous.conversionRate());
        return new Summary(query.zone().getId(), current, previous, change);
    }

    private Period period(StatsQuery query) throws SQLException {
        return damaged.read(db, sql -> {
            ReadPlan plan = ReadPlanner.plan(sql, rollups, query, Optional.empty(), true, true, damaged);
            Map<String, Long> eventsByType = new TreeMap<>();
            Tally total;
            Tally conversions;
            if (plan.usesRollups()) {
                // Events per type are summed in SQL; sketches are read only for the total (all-types rows when no
                // type is asked for) and for conversions, one row per rolled month or day each.
                Map<String, Tally> rawByType = new HashMap<>();
                if (!plan.raw().isEmpty()) {
                    RawReader.ids(sql, EventConditions.of(query, plan.raw()), EventConditions.EVENT_TYPE, rawByType);
                }
                eventsByType.putAll(RollupReader.eventsByType(sql, query, plan));
                rawByType.forEach((type, tally) -> eventsByType.merge(type, tally.events(), Long::sum));
                Map<String, Tally> rolled = new HashMap<>();
                RollupReader.add(sql, query, plan, null, RollupReader.Row::eventType, rolled);
                total = new Tally();
                rolled.values().forEach(total::addSketched);
                rawByType.values().forEach(total::addSketched);
                conversions = new Tally();
                if (query.eventTypes().isEmpty() || query.eventTypes().contains(CONVERSION)) {
                    Map<String, Tally> converted = new HashMap<>();
                    RollupReader.add(sql, query, plan, RollupStore.EVENT_TYPE.eq(CONVERSION), null,
                            RollupReader.Row::eventType, converted);
                    converted.values().forEach(conversions::addSketched);
                    if (rawByType.containsKey(CONVERSION)) {
                        conversions.addSketched(rawByType.get(CONVERSION));
                    }
                }
            } else {
                RawReader.Exact<String> exact = RawReader.exact(sql, EventConditions.of(query, plan.raw()),
                        EventConditions.EVENT_TYPE);
                exact.byKey().forEach((type, tally) -> eventsByType.put(type, tally.events()));
                total = exact.total();
                conversions = exact.byKey().getOrDefault(CONVERSION, new Tally());
            }
            double rate = total.visitors() == 0 ? 0 : (double) conversions.visitors() / total.visitors();
            List<ConversionValues.CurrencyValue> values = ConversionValues.read(sql, query, plan).stream()
                    .map(v -> new ConversionValues.CurrencyValue(v.currency(), v.conversions(), plain(v.value())))
                    .toList();
            return new Period(query.from().toString(), query.to().toString(), total.events(), eventsByType,
                    total.visitors(), total.sessions(), conversions.events(), conversions.visitors(), rate, values,
                    plan.rolledDayCount(), plan.rolledMonths().size());
        });
    }

    private static Double relative(long current, long previous) {
        return previous == 0 ? null : (double) (current - previous) / previous;
    }

    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
