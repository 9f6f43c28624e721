package io.sightline.ingest;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdsTest {

    @Test
    void gives_the_same_message_the_same_version_5_id_every_time() {
        UUID id = MessageIds.eventId(7, "segment", "ajs-next-1700000000000-abc");
        assertThat(MessageIds.eventId(7, "segment", "ajs-next-1700000000000-abc")).isEqualTo(id);
        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void keeps_apps_protocols_and_ambiguous_splits_apart() {
        UUID id = MessageIds.eventId(7, "segment", "m-1");
        assertThat(MessageIds.eventId(8, "segment", "m-1")).isNotEqualTo(id);
        assertThat(MessageIds.eventId(7, "umami", "m-1")).isNotEqualTo(id);
        assertThat(MessageIds.eventId(7, "segmentm", "-1")).isNotEqualTo(MessageIds.eventId(7, "segment", "m-1"));
        assertThat(MessageIds.eventId(7, "segment", "M-1")).isNotEqualTo(id);
    }

    /** Ids already stored were derived by the first implementation; these values were computed by it. */
    @Test
    void derives_the_ids_it_always_derived() {
        assertThat(MessageIds.eventId(7, "segment", "ajs-next-1700000000000-abc"))
                .isEqualTo(UUID.fromString("cd3af116-35b1-5f8a-90a9-a95bd99acbc2"));
        assertThat(MessageIds.eventId(123456789012L, "umami", "\u00fc-\u00f1-\ud83d\ude00 x"))
                .isEqualTo(UUID.fromString("ef04fb7d-43f2-502b-af93-2229086d71e1"));
    }

    @Test
    void derives_the_same_ids_on_many_threads_at_once() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> checks = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                checks.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        if (!MessageIds.eventId(7, "segment", "ajs-next-1700000000000-abc")
                                .equals(UUID.fromString("cd3af116-35b1-5f8a-90a9-a95bd99acbc2"))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> check : checks) {
                assertThat(check.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
