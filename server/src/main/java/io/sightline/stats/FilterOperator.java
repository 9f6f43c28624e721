package io.sightline.stats;

import java.util.Arrays;
import java.util.Optional;

/** How a {@link Filter} compares a dimension's value: its wire name is the middle part of {@code filter=dim:op:value}. */
public enum FilterOperator {
    /** The value equals the one given. */
    EQ("eq"),
    /** The value differs from the one given; events where the dimension is not set count as different. */
    NEQ("neq"),
    /** The value is one of a comma-separated list. */
    IN("in");

    private final String wireName;

    FilterOperator(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<FilterOperator> byName(String name) {
        return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst();
    }
}
