package io.sightline.http;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    @Test
    void accepts_every_code_point_the_jdk_encodes() {
        StringBuilder all = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                all.appendCodePoint(cp);
            }
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.isWellFormed(bytes, bytes.length)).isTrue();
    }

    @Test
    void refuses_overlongs_surrogates_stray_and_truncated_bytes() {
        assertThat(valid(0xC0, 0xAF)).isFalse();             // overlong '/'
        assertThat(valid(0xE0, 0x80, 0xAF)).isFalse();       // overlong '/'
        assertThat(valid(0xF0, 0x80, 0x80, 0xAF)).isFalse(); // overlong '/'
        assertThat(valid(0xED, 0xA0, 0x80)).isFalse();       // U+D800, a surrogate
        assertThat(valid(0xF4, 0x90, 0x80, 0x80)).isFalse(); // above U+10FFFF
        assertThat(valid(0x80)).isFalse();                   // a continuation byte first
        assertThat(valid(0xE2, 0x82)).isFalse();             // euro sign cut short
        assertThat(valid(0xE2, 0x82, 0xAC)).isTrue();        // euro sign
        assertThat(valid(0xF0, 0x9F, 0x98, 0x80)).isTrue();  // an emoji
    }

    @Test
    void agrees_with_the_jdk_decoder_on_random_bytes() {
        Random random = new Random(42);
        int invalid = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(8)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly bytes that start or continue multi-byte sequences, where the edge cases are
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(128) : 0x80 + random.nextInt(128));
            }
            boolean jdk = jdkAccepts(bytes);
            invalid += jdk ? 0 : 1;
            assertThat(Utf8.isWellFormed(bytes, bytes.length)).as("%s", java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdk);
        }
        assertThat(invalid).isBetween(1_000, 199_000); // both verdicts were exercised
    }

    private static boolean valid(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return Utf8.isWellFormed(bytes, bytes.length);
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
