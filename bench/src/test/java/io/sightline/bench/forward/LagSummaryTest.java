package io.sightline.bench.forward;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LagSummaryTest {

    @Test
    void percentiles_are_nearest_rank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(LagSummary.percentile(hundred, 50)).isEqualTo(50);
        assertThat(LagSummary.percentile(hundred, 99)).isEqualTo(99);
        assertThat(LagSummary.percentile(hundred, 100)).isEqualTo(100);
        assertThat(LagSummary.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(LagSummary.percentile(new long[] {1, 2, 3}, 50)).isEqualTo(2);
        assertThatThrownBy(() -> LagSummary.percentile(new long[0], 50)).hasMessageContaining("no values");
    }

    @Test
    void lag_is_first_receipt_minus_ack_and_unreceived_events_count_as_missing() {
        Map<UUID, Long> acks = new HashMap<>();
        Map<UUID, Long> receipts = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            UUID id = new UUID(0, i);
            acks.put(id, 1_000L * i);
            if (i != 13) {
                receipts.put(id, 1_000L * i + (i + 1) * 1_000_000L); // lags 1 ms .. 200 ms
            }
        }
        receipts.put(new UUID(1, 1), 5L); // received but never acknowledged (a refused request stored later): ignored

        LagSummary s = LagSummary.of(acks, receipts);

        assertThat(s.count()).isEqualTo(199);
        assertThat(s.missing()).isEqualTo(1);
        assertThat(s.p50()).isEqualTo(Duration.ofMillis(101)); // 14 ms is absent, so the 100th of 199 lags is 101 ms
        assertThat(s.p99()).isEqualTo(Duration.ofMillis(199)); // rank ceil(0.99 * 199) = 198: the 198th lag
        assertThat(s.max()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void nothing_received_is_all_missing() {
        LagSummary s = LagSummary.of(Map.of(new UUID(0, 1), 1L), Map.of());
        assertThat(s.count()).isZero();
        assertThat(s.missing()).isEqualTo(1);
    }
}
