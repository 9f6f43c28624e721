package io.sightline.sketch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SketchHashTest {
    /** XXH64, the hash UniqueSketch uses. Expected values from the reference implementation: {@code printf '%s' "$s" | xxhsum -H1} (xxHash 0.8.1). */
    @Test
    void hashes_like_the_reference_xxh64_with_seed_0_for_every_tail_and_stripe_path() {
        assertThat(hash("")).isEqualTo(0xef46db3751d8e999L);
        assertThat(hash("a")).isEqualTo(0xd24ec4f1a98c6e5bL);
        assertThat(hash("abc")).isEqualTo(0x44bc2cf5ad770999L);
        assertThat(hash("visitor-123")).isEqualTo(0x26bec63c0b8d43b4L);
        assertThat(hash("0123456789abcdef0123456789abcdefXYZ")).isEqualTo(0x654f6a2b39e4d8c1L);
        assertThat(hash("The quick brown fox jumps over the lazy dog, twice over: the quick brown fox jumps"))
                .isEqualTo(0xc843be5dcc05b5bfL);
    }

    private static long hash(String s) {
        return XxHash64.hash(s.getBytes(StandardCharsets.UTF_8));
    }
}
