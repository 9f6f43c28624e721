package io.sightline.auth;

import io.sightline.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginLimiterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final LoginLimiter limiter = new LoginLimiter(clock, Duration.ofMinutes(15), 5, 20);

    @Test
    void a_sixth_attempt_on_one_email_waits_until_the_window_ends() {
        for (int i = 0; i < 5; i++) {
            limiter.attempt("ana@example.com", "198.51.100.1");
        }
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> limiter.attempt("ana@example.com", "198.51.100.2"))
                .isInstanceOfSatisfying(AuthError.class, e -> {
                    assertThat(e.code()).isEqualTo("too_many_attempts");
                    assertThat(e.retryAfterSeconds()).isBetween(599, 601);
                });
        clock.advance(Duration.ofMinutes(10));
        limiter.attempt("ana@example.com", "198.51.100.2");
    }

    @Test
    void twenty_failures_from_one_address_hold_it_up_for_every_email() {
        for (int i = 0; i < 20; i++) {
            limiter.attempt("user" + i + "@example.com", "198.51.100.7");
        }
        assertThatThrownBy(() -> limiter.attempt("fresh@example.com", "198.51.100.7")).isInstanceOf(AuthError.class);
        limiter.attempt("fresh@example.com", "198.51.100.8");
    }

    @Test
    void a_success_forgives_its_own_attempt_and_the_emails_failures() {
        for (int i = 0; i < 4; i++) {
            limiter.attempt("bo@example.com", "198.51.100.9");
        }
        limiter.attempt("bo@example.com", "198.51.100.9");
        limiter.succeeded("bo@example.com", "198.51.100.9");
        for (int i = 0; i < 5; i++) {
            limiter.attempt("bo@example.com", "198.51.100.9");
        }
    }

    @Test
    void stays_bounded_when_flooded_with_emails() {
        for (int i = 0; i < LoginLimiter.MAX_KEYS + 500; i++) {
            limiter.attempt("flood" + i + "@example.com", "10.0." + (i / 256) + "." + (i % 256));
            if (i % 1000 == 0) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        // the oldest windows made room; the limiter still counts new emails
        for (int i = 0; i < 5; i++) {
            limiter.attempt("late@example.com", "192.0.2." + i);
        }
        assertThatThrownBy(() -> limiter.attempt("late@example.com", "192.0.2.99")).isInstanceOf(AuthError.class);
    }
}
