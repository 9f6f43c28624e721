package io.sightline.bench.forward;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class IngestComparisonTest {
    @Test
    void mirrors_each_pair_so_that_a_drift_weighs_on_both_conditions() {
        String order = IntStream.rangeClosed(1, 6).mapToObj(run -> IngestComparison.fourIn(run) ? "F" : "N")
                .reduce("", String::concat);
        assertThat(order).isEqualTo("NFFNNF");
    }
}
