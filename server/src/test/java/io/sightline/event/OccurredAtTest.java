package io.sightline.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.sightline.event.Events.NOW;
import static io.sightline.event.Events.accepted;
import static io.sightline.event.Events.minimal;
import static io.sightline.event.Events.rejected;
import static io.sightline.event.Events.with;
import static org.assertj.core.api.Assertions.assertThat;

class OccurredAtTest {
    private static final Instant DAY_AHEAD = NOW.plus(Duration.ofHours(24));
    private static final Instant WEEK_BACK = NOW.minus(Duration.ofDays(7));

    private static ObjectNode at(Object occurredAt) {
        return with(minimal(EventType.SCREENSHOT), "occurred_at", occurredAt);
    }

    @Test
    void uses_the_clock_when_occurred_at_is_missing() {
        assertThat(accepted(minimal(EventType.SCREENSHOT)).occurredAt()).isEqualTo(NOW);
    }

    @Test
    void accepts_an_instant_in_utc() {
        assertThat(accepted(at("2026-11-24T08:30:00Z")).occurredAt()).isEqualTo(Instant.parse("2026-11-24T08:30:00Z"));
    }

    @Test
    void accepts_an_instant_with_an_offset_and_milliseconds() {
        assertThat(accepted(at("2026-11-24T12:00:00.123+02:00")).occurredAt())
                .isEqualTo(Instant.parse("2026-11-24T10:00:00.123Z"));
    }

    @Test
    void accepts_epoch_milliseconds() {
        assertThat(accepted(at(NOW.toEpochMilli() - 1500)).occurredAt()).isEqualTo(NOW.minusMillis(1500));
    }

    @Test
    void accepts_occurred_at_exactly_a_day_ahead() {
        assertThat(accepted(at(DAY_AHEAD.toString())).occurredAt()).isEqualTo(DAY_AHEAD);
        assertThat(accepted(at(DAY_AHEAD.toEpochMilli())).occurredAt()).isEqualTo(DAY_AHEAD);
    }

    @Test
    void rejects_occurred_at_more_than_a_day_ahead() {
        for (Object value : List.of(DAY_AHEAD.plusMillis(1).toString(), DAY_AHEAD.toEpochMilli() + 1)) {
            Violation v = rejected(at(value));

            assertThat(v).isEqualTo(new Violation("out_of_range", "occurred_at",
                    "occurred_at must not be more than 24 hours ahead of the server clock"));
        }
    }

    @Test
    void accepts_occurred_at_exactly_seven_days_back() {
        assertThat(accepted(at(WEEK_BACK.toString())).occurredAt()).isEqualTo(WEEK_BACK);
        assertThat(accepted(at(WEEK_BACK.toEpochMilli())).occurredAt()).isEqualTo(WEEK_BACK);
    }

    @Test
    void rejects_occurred_at_more_than_seven_days_back() {
        for (Object value : List.of(WEEK_BACK.minusMillis(1).toString(), WEEK_BACK.toEpochMilli() - 1, 0)) {
            Violation v = rejected(at(value));

            assertThat(v).isEqualTo(new Violation("out_of_range", "occurred_at",
                    "occurred_at must not be more than 7 days in the past"));
        }
    }

    @Test
    void rejects_a_local_time_without_offset() {
        Violation v = rejected(at("2026-11-24T10:00:00"));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("occurred_at");
        assertThat(v.message()).contains("offset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "", "2026-11-24", "2026-11-24 10:00:00Z", "2026-13-01T00:00:00Z",
            "2026-11-31T10:00:00Z", "2026-11-24T10:00:00+0200", "1764064800000"})
    void rejects_a_string_that_does_not_parse(String value) {
        assertThat(rejected(at(value)).code()).isEqualTo("invalid_value");
    }

    @Test
    void rejects_a_fractional_number_of_milliseconds() {
        assertThat(rejected(at(NOW.toEpochMilli() + 0.5)).code()).isEqualTo("invalid_value");
    }

    @Test
    void rejects_occurred_at_that_is_neither_string_nor_number() {
        assertThat(rejected(at(true)).code()).isEqualTo("invalid_type");
        assertThat(rejected(at(List.of(1))).code()).isEqualTo("invalid_type");
    }

    @Test
    void rejects_occurred_at_beyond_the_long_range_as_out_of_range() {
        assertThat(rejected(at(BigInteger.TEN.pow(30))).message()).contains("ahead");
        assertThat(rejected(at(BigInteger.TEN.pow(30).negate())).message()).contains("in the past");
    }

    @Test
    void applies_configured_windows_instead_of_the_defaults() {
        var strict = new EventValidator(new ValidationLimits(Duration.ofHours(1), Duration.ZERO), Events.CLOCK);

        assertThat(strict.validate(at(NOW.toEpochMilli()))).isInstanceOf(Validation.Valid.class);
        assertThat(strict.validate(at(NOW.toEpochMilli() + 1))).isEqualTo(new Validation.Invalid(new Violation(
                "out_of_range", "occurred_at", "occurred_at must not be more than 0 seconds ahead of the server clock")));
        assertThat(strict.validate(at(NOW.minusSeconds(3600).toEpochMilli()))).isInstanceOf(Validation.Valid.class);
        assertThat(strict.validate(at(NOW.minusSeconds(3600).toEpochMilli() - 1))).isEqualTo(new Validation.Invalid(
                new Violation("out_of_range", "occurred_at", "occurred_at must not be more than 1 hour in the past")));
    }

    @Test
    void reads_the_clock_on_every_call() {
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        var validator = new EventValidator(ValidationLimits.defaults(), new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        });
        ObjectNode event = at(NOW.plus(Duration.ofHours(30)).toString());

        assertThat(validator.validate(event)).isInstanceOf(Validation.Invalid.class);
        now.set(NOW.plus(Duration.ofHours(7)));
        assertThat(validator.validate(event)).isInstanceOf(Validation.Valid.class);
    }
}
