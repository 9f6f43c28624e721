package io.sightline.stats;

import io.sightline.store.Dimension;

import java.util.List;

/**
 * One dimension filter of a {@link StatsQuery}. Values are compared with the dimension's value where an event
 * without it has the value {@code ""}, as in the rollup tables; so {@code country:eq:} selects events without a
 * country.
 */
public record Filter(Dimension dimension, FilterOperator operator, List<String> values) {
    public Filter {
        values = List.copyOf(values);
        if (values.isEmpty() || (operator != FilterOperator.IN && values.size() != 1)) {
            throw new IllegalArgumentException(operator + " takes " + (operator == FilterOperator.IN ? "values" : "one value"));
        }
    }

    /** The one value this filter pins its dimension to, when it is a plain equality (rollups can answer it). */
    public java.util.Optional<String> equalityValue() {
        boolean single = operator == FilterOperator.EQ || (operator == FilterOperator.IN && values.size() == 1);
        return single ? java.util.Optional.of(values.get(0)) : java.util.Optional.empty();
    }
}
