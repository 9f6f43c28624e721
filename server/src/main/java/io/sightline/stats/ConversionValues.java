package io.sightline.stats;

import io.sightline.rollup.RollupStore;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Conversion value per currency: from the rollups' conversion values for rolled days, from raw conversion events
 * for the rest. As in the rollups, a conversion counts here only when it carried a numeric {@code value} and a
 * string {@code currency}.
 */
final class ConversionValues {
    private static final String CONVERSION = "conversion";
    private static final Field<String> CURRENCY = DSL.field("properties->>'currency'", SQLDataType.VARCHAR);
    private static final Field<BigDecimal> AMOUNT = DSL.field("(properties->>'value')::numeric", SQLDataType.NUMERIC);
    private static final Condition VALUED = DSL.condition("jsonb_typeof(properties->'value') = 'number'"
            + " AND jsonb_typeof(properties->'currency') = 'string'");

    /** Conversions that carried a value, and their sum, in one currency. */
    record CurrencyValue(String currency, long conversions, BigDecimal value) {
    }

    private ConversionValues() {
    }

    static List<CurrencyValue> read(DSLContext sql, StatsQuery query, ReadPlan plan) {
        if (!query.eventTypes().isEmpty() && !query.eventTypes().contains(CONVERSION)) {
            return List.of();
        }
        Map<String, CurrencyValue> byCurrency = new TreeMap<>();
        for (RollupReader.Source source : RollupReader.sources(plan)) {
            for (Record r : sql.select(RollupStore.CURRENCY, DSL.sum(RollupStore.CONVERSIONS), DSL.sum(RollupStore.VALUE_SUM))
                    .from(source.values()).where(RollupReader.where(query, plan, source)).groupBy(RollupStore.CURRENCY).fetch()) {
                add(byCurrency, r.get(0, String.class), r.get(1, Long.class), r.get(2, BigDecimal.class));
            }
        }
        if (!plan.raw().isEmpty()) {
            Condition where = EventConditions.of(query, plan.raw())
                    .and(EventConditions.EVENT_TYPE.eq(CONVERSION)).and(VALUED);
            for (Record r : sql.select(CURRENCY, DSL.count(), DSL.sum(AMOUNT))
                    .from(EventConditions.EVENTS).where(where).groupBy(CURRENCY).fetch()) {
                add(byCurrency, r.get(0, String.class), r.get(1, Long.class), r.get(2, BigDecimal.class));
            }
        }
        return List.copyOf(byCurrency.values());
    }

    private static void add(Map<String, CurrencyValue> into, String currency, long conversions, BigDecimal value) {
        into.merge(currency, new CurrencyValue(currency, conversions, value),
                (a, b) -> new CurrencyValue(currency, a.conversions() + b.conversions(), a.value().add(b.value())));
    }
}
