package io.sightline.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The encoder's own number and time formats against the JDK's, which PostgreSQL reads back unchanged. */
class CopyRowEncoderTest {

    @Test
    void writes_timestamps_exactly_as_instant_to_string_does() {
        Random random = new Random(7);
        long from = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            long second = from + (long) (random.nextDouble() * (to - from));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = Instant.ofEpochSecond(second, nanos);
            assertThat(timestamp(at)).isEqualTo(at.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "2026-11-25T01:02:03.000100Z",
            "0999-12-31T23:59:59Z", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z"})
    void writes_edge_timestamps_as_instant_to_string_does(String text) {
        Instant at = Instant.parse(text);
        assertThat(timestamp(at)).isEqualTo(at.toString());
    }

    @Test
    void writes_rounded_coordinates_as_short_decimals_that_read_back_as_the_same_double() {
        Random random = new Random(11);
        for (int decimals = 0; decimals <= 6; decimals++) {
            double scale = Math.pow(10, decimals);
            for (int i = 0; i < 20_000; i++) {
                double value = Math.round((random.nextDouble() * 360 - 180) * scale) / scale;
                String text = number(value);
                assertThat(Double.parseDouble(text)).as(text).isEqualTo(value);
                assertThat(text).as("no exponent, no trailing zero").doesNotContain("E").doesNotEndWith(".0");
            }
        }
        assertThat(number(48.86)).isEqualTo("48.86");
        assertThat(number(-33.87)).isEqualTo("-33.87");
        assertThat(number(-0.05)).isEqualTo("-0.05");
        assertThat(number(151.0)).isEqualTo("151");
        assertThat(number(0.000001)).isEqualTo("0.000001");
        assertThat(number(25000.0)).isEqualTo("25000");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1234567, 1e-7, -0.0, 1e10, -1e300, Double.MIN_VALUE, 12345.678901234, Math.PI})
    void writes_any_other_double_so_that_it_reads_back_unchanged(double value) {
        String text = number(value);
        assertThat(Double.doubleToRawLongBits(Double.parseDouble(text))).as(text)
                .isEqualTo(Double.doubleToRawLongBits(value));
    }

    @Test
    void writes_null_numbers_as_copy_null() {
        CopyRowEncoder encoder = new CopyRowEncoder();
        encoder.number(null);
        assertThat(encoder.written()).isEqualTo("\\N");
    }

    private static String timestamp(Instant at) {
        CopyRowEncoder encoder = new CopyRowEncoder();
        encoder.timestamp(at);
        return encoder.written();
    }

    private static String number(double value) {
        CopyRowEncoder encoder = new CopyRowEncoder();
        encoder.number(value);
        return encoder.written();
    }
}
