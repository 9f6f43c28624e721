package io.sightline.stats;

import io.sightline.funnel.FunnelCounter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FunnelCounterTest {
    private static final long S = 1_000_000L; // one second in micros
    private static final long HOUR = 3_600 * S;

    @Test
    void a_visitor_who_scans_without_going_on_and_later_completes_the_funnel_is_counted() {
        // The repro: a lone scan a day before the scan that leads on.
        FunnelCounter f = new FunnelCounter(2, HOUR, 1_000_000 * S);
        f.add(1, 0, 0b01);
        f.add(1, 86_400 * S, 0b01);
        f.add(1, 86_700 * S, 0b10);
        assertThat(counts(f)).containsExactly(1L, 1L);
        assertThat(f.medianSeconds(2)).isEqualTo(300.0);
    }

    @Test
    void each_later_step_must_not_be_earlier_than_the_one_before() {
        FunnelCounter f = new FunnelCounter(3, HOUR, 1_000 * S);
        f.add(1, 10 * S, 0b010);  // step 2 before any start: ignored
        f.add(1, 20 * S, 0b001);  // start
        f.add(1, 30 * S, 0b100);  // step 3 before step 2: ignored
        f.add(1, 40 * S, 0b010);  // step 2
        f.add(1, 50 * S, 0b100);  // step 3
        assertThat(counts(f)).containsExactly(1L, 1L, 1L);
        assertThat(f.medianSeconds(2)).isEqualTo(20.0);
        assertThat(f.medianSeconds(3)).isEqualTo(10.0);
    }

    @Test
    void events_at_the_same_instant_follow_each_other_in_either_order() {
        // A batch sent without occurred_at: one server time for all, the stored order unknown.
        FunnelCounter f = new FunnelCounter(3, HOUR, 1_000 * S);
        f.add(1, 20 * S, 0b100);
        f.add(1, 20 * S, 0b010);
        f.add(1, 20 * S, 0b001);
        f.add(2, 20 * S, 0b001);
        f.add(2, 30 * S, 0b100);
        f.add(2, 30 * S, 0b010);
        assertThat(counts(f)).containsExactly(2L, 2L, 2L);
        assertThat(f.medianSeconds(2)).isEqualTo(5.0);
        assertThat(f.medianSeconds(3)).isEqualTo(0.0);
    }

    @Test
    void one_event_is_one_step_so_a_repeated_step_needs_a_second_event_even_at_the_same_instant() {
        FunnelCounter f = new FunnelCounter(2, HOUR, 1_000 * S); // steps qr_scan,qr_scan
        f.add(7, 1 * S, 0b11);
        assertThat(counts(f)).containsExactly(1L, 0L);
        f.add(7, 2 * S, 0b11);
        assertThat(counts(f)).containsExactly(1L, 1L);
        f.add(8, 5 * S, 0b11);
        f.add(8, 5 * S, 0b11);
        assertThat(counts(f)).containsExactly(2L, 2L);
    }

    @Test
    void an_event_matching_two_steps_takes_the_one_that_lets_the_others_fill_the_rest() {
        // steps qr_scan, custom, custom:a at one instant: the custom:a event (bits 2 and 3) must be step 3, so the
        // plain custom event can be step 2, whichever comes first.
        for (boolean named_first : new boolean[] {true, false}) {
            FunnelCounter f = new FunnelCounter(3, HOUR, 1_000 * S);
            f.add(1, 0, 0b001);
            f.add(1, 10 * S, named_first ? 0b110 : 0b010);
            f.add(1, 10 * S, named_first ? 0b010 : 0b110);
            assertThat(counts(f)).containsExactly(1L, 1L, 1L);
        }
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
    void the_median_comes_from_the_latest_starting_chain_that_reached_the_deepest_step() {
        FunnelCounter f = new FunnelCounter(3, HOUR, 100_000 * S);
        f.add(1, 0, 0b001);
        f.add(1, 600 * S, 0b010);          // chain from 0: steps 1, 2
        f.add(1, 10_000 * S, 0b001);
        f.add(1, 10_060 * S, 0b010);
        f.add(1, 10_090 * S, 0b100);       // chain from 10,000: all three steps; it counts, not the first
        assertThat(counts(f)).containsExactly(1L, 1L, 1L);
        assertThat(f.medianSeconds(2)).isEqualTo(60.0);
        assertThat(f.medianSeconds(3)).isEqualTo(30.0);
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
    void agrees_with_every_chain_enumerated_for_distinct_steps() {
        agreesWithTheOracle(new int[] {0b0001, 0b0010, 0b0100, 0b1000}, 1);
    }

    @Test
    void agrees_with_every_chain_enumerated_when_steps_repeat_an_event_type() {
        // steps qr_scan, placement, qr_scan, custom, with custom:a events matching step 4 as well
        agreesWithTheOracle(new int[] {0b0101, 0b0010, 0b1000, 0b1000}, 2);
    }

    @Test
    void agrees_with_every_chain_enumerated_when_any_event_may_match_any_steps() {
        int[] kinds = new int[15];
        for (int m = 1; m <= 15; m++) {
            kinds[m - 1] = m;
        }
        agreesWithTheOracle(kinds, 3);
    }

    /**
     * 20,000 actors (the table grows many times) with 1 to 10 events each on a coarse clock, so that many share an
     * instant; events of one actor at one instant arrive in random order, as PostgreSQL may send them.
     */
    private static void agreesWithTheOracle(int[] kinds, long seed) {
        Random random = new Random(seed);
        int steps = 4;
        long window = 600 * S;
        long end = 3_000 * S;
        List<long[]> events = new ArrayList<>(); // actor, time, mask, tie-break
        Map<Long, List<FunnelOracle.Event>> byActor = new HashMap<>();
        for (int a = 0; a < 20_000; a++) {
            long actor = a * 0x9E3779B97F4A7C15L;
            int count = 1 + random.nextInt(10);
            for (int e = 0; e < count; e++) {
                long time = random.nextInt(80) * 50 * S;
                int mask = kinds[random.nextInt(kinds.length)];
                events.add(new long[] {actor, time, mask, random.nextLong()});
                byActor.computeIfAbsent(actor, x -> new ArrayList<>()).add(new FunnelOracle.Event(time, mask));
            }
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[1]).thenComparingLong(e -> e[0])
                .thenComparingLong(e -> e[3]));
        FunnelCounter f = new FunnelCounter(steps, window, end);
        events.forEach(e -> f.add(e[0], e[1], e[2]));

        long[] expected = new long[steps];
        for (List<FunnelOracle.Event> own : byActor.values()) {
            int deepest = FunnelOracle.deepest(own, steps, window, Long.MIN_VALUE, end);
            for (int k = 0; k < deepest; k++) {
                expected[k]++;
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
