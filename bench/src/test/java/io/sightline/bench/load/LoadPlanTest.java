package io.sightline.bench.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadPlanTest {

    @Test
    void every_run_is_bounded_in_time_and_size() {
        assertThatThrownBy(() -> LoadPlan.closedLoop(8, Duration.ZERO, Duration.ZERO)).hasMessageContaining("measured");
        assertThatThrownBy(() -> LoadPlan.closedLoop(8, Duration.ofMinutes(1), Duration.ofHours(1))).hasMessageContaining("at most");
        assertThatThrownBy(() -> LoadPlan.closedLoop(0, Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("connections");
        assertThatThrownBy(() -> LoadPlan.closedLoop(2, Duration.ZERO, Duration.ofSeconds(1)).withIoThreads(3)).hasMessageContaining("ioThreads");
        assertThatThrownBy(() -> LoadPlan.fixedRate(0, 2, Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("requestsPerSecond");
    }

    @Test
    void fixed_rate_spreads_due_times_over_the_connections_and_counts_what_was_never_sent() {
        LoadMode rate = LoadMode.fixedRate(1_000); // 4 connections: each every 4 ms, staggered by 1 ms
        Schedule first = Schedule.forConnection(rate, 0, 4, 0);
        Schedule second = Schedule.forConnection(rate, 1, 4, 0);

        assertThat(first.due(123)).isEqualTo(0);
        assertThat(second.due(123)).isEqualTo(1_000_000);
        first.advance();
        assertThat(first.due(123)).isEqualTo(4_000_000);
        assertThat(first.overdueAt(4_000_000)).isZero();
        assertThat(first.overdueAt(12_000_001)).isEqualTo(3);
        assertThat(Schedule.forConnection(LoadMode.closedLoop(), 0, 4, 0).due(123)).isEqualTo(123);
    }
}
