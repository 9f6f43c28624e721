package io.sightline.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FunnelCounterTest {
    private static final long S = 1_000_000L; // one second in micros
    private static final long HOUR = 3_600 * S;

    @Test
    void the_first_step_one_event_starts_and_each_later_step_needs_a_strictly_later_event() {
        FunnelCounter f = new FunnelCounter(3, HOUR, 1_000 * S);
        f.add(1, 10 * S, 0b010);  // step 2 before the start: ignored
        f.add(1, 20 * S, 0b001);  // start
        f.add(1, 20 * S, 0b010);  // same instant as step 1: not later
        f.add(1, 30 * S, 0b100);  // step 3 before step 2: ignored
        f.add(1, 40 * S, 0b010);  // step 2
        f.add(1, 50 * S, 0b100);  // step 3
        assertThat(counts(f)).containsExactly(1L, 1L, 1L);
        assertThat(f.medianSeconds(2)).isEqualTo(20.0);
        assertThat(f.medianSeconds(3)).isEqualTo(10.0);
    }

    @Test
    void an_event_of_two_steps_reaches_only_one_of_them() {
        FunnelCounter f = new FunnelCounter(2, HOUR, 1_000 * S);
        f.add(7, 1 * S, 0b11);
        assertThat(counts(f)).containsExactly(1L, 0L);
        f.add(7, 2 * S, 0b11);
        assertThat(counts(f)).containsExactly(1L, 1L);
    }

    @Test
    void a_step_exactly_at_the_window_end_counts_and_one_microsecond_later_does_not() {
        FunnelCounter f = new FunnelCounter(2, HOUR, 1_000 * S);
        f.add(1, 0, 0b01);
        f.add(2, 0, 0b01);
        f.add(1, HOUR, 0b10);
        f.add(2, HOUR + 1, 0b10);
        assertThat(counts(f)).containsExactly(2L, 1L);
    }

    @Test
    void only_step_one_events_before_the_range_end_start_a_funnel_but_later_steps_may_follow_it() {
        FunnelCounter f = new FunnelCounter(2, HOUR, 100 * S);
        f.add(1, 99 * S, 0b01);
        f.add(2, 100 * S, 0b01);
        f.add(1, 150 * S, 0b10);
        f.add(2, 160 * S, 0b10);
        assertThat(counts(f)).containsExactly(1L, 1L);
    }

    @Test
    void the_median_interpolates_between_the_two_middle_gaps() {
        FunnelCounter f = new FunnelCounter(2, HOUR, 1_000 * S);
        long[] gaps = {300, 600, 60, 3_600, 300, 7};
        for (int a = 0; a < gaps.length; a++) {
            f.add(a, 0, 0b01);
        }
        for (int a = 0; a < gaps.length; a++) {
            f.add(a, gaps[a] * S, 0b10);
        }
        assertThat(f.medianSeconds(2)).isEqualTo(300.0);
        f.add(99, 0, 0b01);
        assertThat(new FunnelCounter(2, HOUR, S).medianSeconds(2)).isNull();
    }

    @Test
    void an_actor_whose_hash_is_zero_is_counted_like_any_other() {
        FunnelCounter f = new FunnelCounter(2, HOUR, 1_000 * S);
        f.add(0, 1, 0b01);
        f.add(0, 2, 0b10);
        assertThat(counts(f)).containsExactly(1L, 1L);
    }

    @Test
    void agrees_with_a_per_actor_search_over_many_random_actors() {
        // 50,000 actors (the table grows many times) with random events; the expected count is the funnel rule
        // applied to each actor's own sorted list: earliest step k event after step k-1 and within the window.
        Random random = new Random(42);
        int steps = 4;
        long window = 600 * S;
        long end = 5_000 * S;
        List<long[]> events = new ArrayList<>(); // actor, time, mask
        for (int a = 0; a < 50_000; a++) {
            int count = 1 + random.nextInt(8);
            for (int e = 0; e < count; e++) {
                events.add(new long[] {a * 0x9E3779B97F4A7C15L, random.nextInt(6_000) * S, 1L << random.nextInt(steps)});
            }
        }
        events.sort(Comparator.comparingLong(e -> e[1]));
        FunnelCounter f = new FunnelCounter(steps, window, end);
        events.forEach(e -> f.add(e[0], e[1], e[2]));

        long[] expected = new long[steps];
        java.util.Map<Long, List<long[]>> byActor = new java.util.HashMap<>();
        events.forEach(e -> byActor.computeIfAbsent(e[0], x -> new ArrayList<>()).add(e));
        for (List<long[]> own : byActor.values()) {
            Long start = own.stream().filter(e -> (e[2] & 1) != 0 && e[1] < end).map(e -> e[1]).min(Long::compare)
                    .orElse(null);
            if (start == null) {
                continue;
            }
            expected[0]++;
            long last = start;
            for (int k = 1; k < steps; k++) {
                final long after = last;
                final int bit = k;
                Long next = own.stream().filter(e -> (e[2] & (1L << bit)) != 0 && e[1] > after && e[1] - start <= window)
                        .map(e -> e[1]).min(Long::compare).orElse(null);
                if (next == null) {
                    break;
                }
                expected[k]++;
                last = next;
            }
        }
        assertThat(counts(f)).containsExactly(expected[0], expected[1], expected[2], expected[3]);
        assertThat(expected[3]).isPositive();
    }

    private static List<Long> counts(FunnelCounter f) {
        List<Long> counts = new ArrayList<>();
        for (int k = 1; k <= f.steps(); k++) {
            counts.add(f.reached(k));
        }
        return counts;
    }
}
