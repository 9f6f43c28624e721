package io.sightline.event;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written reader against the JDK's formatter, which it must agree with on every input. */
class IsoInstantTest {
    private static final String[] OFFSETS = {"Z", "+00:00", "-00:00", "+01:00", "-05:30", "+14:00", "+18:00", "-18:00",
            "+18:01", "+19:00", "+05:60", "z", "+0100", "+01", "+01:00:30", "", "Z ", "UTC"};

    @Test
    void agrees_with_the_formatter_on_edge_cases() {
        List<String> cases = new ArrayList<>(List.of("2026-12-07T14:27:51.249Z", "2026-12-07T14:27:51Z",
                "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2100-02-29T12:00:00Z", "2000-02-29T12:00:00Z",
                "2026-04-31T00:00:00Z", "2026-12-31T23:59:59.999999999Z", "2026-12-31T23:59:59.9999999999Z",
                "2026-12-31T23:59:60Z", "2026-12-31T24:00:00Z", "2026-12-07T14:27Z", "2026-12-07t14:27:51z",
                "2026-12-07T14:27:51.Z", "2026-12-07T14:27:51,5Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                "+2026-12-07T14:27:51Z", "12026-12-07T14:27:51Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                "2026-12-00T00:00:00Z", "2026-1-07T14:27:51Z", "2026-12-07 14:27:51Z", "2026-12-07T14:27:51.249",
                "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5-01:00", "1600-03-01T00:00:00+18:00",
                "2026-12-07T14:27:51.2a9Z", "2026-12-07T14:2x:51Z", "2026-12-07T14:27:51.249Z\u0000", ""));
        for (String offset : OFFSETS) {
            cases.add("2026-06-15T08:09:10.5" + offset);
        }
        cases.forEach(IsoInstantTest::assertAgrees);
    }

    @Test
    void agrees_with_the_formatter_on_100_000_generated_texts() {
        Random random = new Random(20261207);
        int readByHand = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder s = new StringBuilder();
            s.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62)));
            if (random.nextBoolean()) {
                s.append('.').append(String.valueOf(Math.abs(random.nextLong())), 0, random.nextInt(12));
            }
            s.append(OFFSETS[random.nextInt(OFFSETS.length)]);
            if (random.nextInt(10) == 0) { // one character replaced
                s.setCharAt(random.nextInt(s.length()), "0123456789-:.TZ+x ".charAt(random.nextInt(18)));
            }
            readByHand += assertAgrees(s.toString()) ? 1 : 0;
        }
        assertThat(readByHand).as("texts the hand-written path read itself").isGreaterThan(10_000);
    }

    @Test
    void reads_every_day_of_four_centuries_as_the_formatter_does() {
        Instant day = Instant.parse("1900-01-01T00:00:00Z");
        for (int i = 0; i < 400 * 366; i++) {
            String text = day.plusSeconds(86_400L * i + 3_723).toString();
            assertThat(IsoInstant.common(text)).as(text).isEqualTo(formatter(text));
        }
    }

    /** True when the hand-written path read the text itself. */
    private static boolean assertAgrees(String text) {
        Instant expected;
        try {
            expected = formatter(text);
        } catch (DateTimeException e) {
            expected = null;
        }
        Instant fast = IsoInstant.common(text);
        if (fast != null) {
            assertThat(fast).as(text).isEqualTo(expected);
        }
        Instant parsed;
        try {
            parsed = IsoInstant.parse(text);
        } catch (DateTimeException e) {
            parsed = null;
        }
        assertThat(parsed).as(text).isEqualTo(expected);
        return fast != null;
    }

    private static Instant formatter(String text) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    }
}
