package io.sightline.destinations.platforms;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** When a platform said to come back: {@code Retry-After} (RFC 9110: seconds or an HTTP date), or an epoch reset. */
final class RetryAfter {
    private RetryAfter() {
    }

    /** The {@code Retry-After} header as a duration from now, or null when absent or unreadable. */
    static Duration fromHeader(HttpHeaders headers, Clock clock) {
        String value = headers.firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return nonNegative(Duration.between(clock.instant(), at));
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** A header holding the epoch second when a rate-limit window resets (X's {@code x-rate-limit-reset}). */
    static Duration fromEpochReset(HttpHeaders headers, String name, Clock clock) {
        String value = headers.firstValue(name).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return nonNegative(Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(value.trim()))));
        } catch (NumberFormatException | java.time.DateTimeException unreadable) {
            return null;
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
