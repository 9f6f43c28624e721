package io.sightline.bench.forward;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiptLogTest {

    @Test
    void keeps_the_first_arrival_of_a_re_sent_event() {
        ReceiptLog log = new ReceiptLog();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        log.record(List.of(a, b), 500);
        log.record(List.of(a), 900);

        assertThat(log.size()).isEqualTo(3);
        assertThat(log.firstReceipts()).containsEntry(a, 500L).containsEntry(b, 500L).hasSize(2);
        assertThat(log.first()).isEqualTo(500);
        assertThat(log.last()).isEqualTo(900);
    }

    @Test
    void holds_more_receipts_than_one_chunk_and_forgets_them_on_clear() {
        ReceiptLog log = new ReceiptLog();
        List<UUID> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(new UUID(7, i));
        }
        for (int request = 0; request < 150; request++) { // 150,000 receipts: three chunks of 65,536
            log.record(batch, request);
        }
        assertThat(log.size()).isEqualTo(150_000);
        assertThat(log.firstReceipts()).hasSize(1000).containsEntry(new UUID(7, 999), 0L);
        assertThat(log.last()).isEqualTo(149);

        log.clear();
        assertThat(log.size()).isZero();
        assertThat(log.firstReceipts()).isEmpty();
        assertThat(log.last()).isEqualTo(Long.MIN_VALUE);
    }
}
