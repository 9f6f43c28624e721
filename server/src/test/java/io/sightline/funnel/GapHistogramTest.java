package io.sightline.funnel;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GapHistogramTest {
    @Test
    void every_gap_falls_in_a_bucket_at_most_two_percent_wide_that_holds_it() {
        Random random = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            long gap = (long) Math.exp(random.nextDouble() * Math.log(30L * 86_400_000_000L));
            int b = GapHistogram.bucket(gap);
            assertThat((double) gap).isGreaterThanOrEqualTo(GapHistogram.lower(b)).isLessThan(GapHistogram.lower(b + 1));
            if (b > 0) {
                assertThat(GapHistogram.lower(b + 1) / GapHistogram.lower(b)).isLessThanOrEqualTo(1.0201);
            }
        }
    }

    @Test
    void the_median_of_merged_histograms_is_within_two_percent_of_the_exact_one() {
        Random random = new Random(2);
        long[] gaps = new long[2_001];
        GapHistogram a = new GapHistogram();
        GapHistogram b = new GapHistogram();
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = 1_000_000L + (long) (random.nextDouble() * 3_000_000_000L);
            (i % 2 == 0 ? a : b).add(gaps[i]);
        }
        a.merge(GapHistogram.fromBytes(b.toBytes()));
        Arrays.sort(gaps);
        double exact = gaps[gaps.length / 2] / 1e6;
        assertThat(a.total()).isEqualTo(gaps.length);
        assertThat(a.medianSeconds()).isCloseTo(exact, within(exact * 0.02));
    }

    @Test
    void an_empty_histogram_has_no_median_and_round_trips() {
        assertThat(new GapHistogram().medianSeconds()).isNull();
        assertThat(GapHistogram.fromBytes(new GapHistogram().toBytes()).total()).isZero();
    }

    @Test
    void garbage_bytes_are_refused() {
        assertThatThrownBy(() -> GapHistogram.fromBytes(new byte[] {(byte) 0x80})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GapHistogram.fromBytes(new byte[] {1, 0})).isInstanceOf(IllegalArgumentException.class);
    }
}
