package io.sightline.http;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;
import io.sightline.error.Reason;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The one mapping of domain failures to HTTP answers, which the services' own tests rely on. */
class ErrorResponderTest {
    private enum Busy implements Reason {
        TOO_MANY_REQUESTS;

        @Override
        public Kind kind() {
            return Kind.RATE_LIMITED;
        }

        @Override
        public String code() {
            return "too_many_requests";
        }
    }

    private static final class Refused extends DomainException {
        private static final long serialVersionUID = 1L;

        Refused(String field, Integer retryAfterSeconds) {
            super(Busy.TOO_MANY_REQUESTS, "two are running; retry later", field, retryAfterSeconds, null);
        }
    }

    @Test
    void each_kind_of_domain_failure_has_its_status() {
        assertThat(ErrorResponder.status(Kind.INVALID)).isEqualTo(400);
        assertThat(ErrorResponder.status(Kind.UNAUTHENTICATED)).isEqualTo(401);
        assertThat(ErrorResponder.status(Kind.FORBIDDEN)).isEqualTo(403);
        assertThat(ErrorResponder.status(Kind.NOT_FOUND)).isEqualTo(404);
        assertThat(ErrorResponder.status(Kind.CONFLICT)).isEqualTo(409);
        assertThat(ErrorResponder.status(Kind.TOO_LARGE)).isEqualTo(413);
        assertThat(ErrorResponder.status(Kind.RATE_LIMITED)).isEqualTo(429);
        assertThat(ErrorResponder.status(Kind.UNAVAILABLE)).isEqualTo(503);
        assertThat(ErrorResponder.status(Kind.INTERNAL)).isEqualTo(500);
    }

    @Test
    void a_domain_failure_keeps_its_code_message_field_and_retry_delay_even_inside_a_completion() {
        ApiException answer = ErrorResponder.toApiException(new CompletionException(new Refused("steps", 2)));
        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.code()).isEqualTo("too_many_requests");
        assertThat(answer.getMessage()).isEqualTo("two are running; retry later");
        assertThat(answer.field()).isEqualTo("steps");
        assertThat(answer.retryAfterSeconds()).isEqualTo(2);
    }

    @Test
    void a_statement_timeout_is_a_503_query_timeout_with_retry_after_not_a_500() {
        ApiException answer = ErrorResponder.toApiException(new CompletionException(
                new java.sql.SQLException("ERROR: canceling statement due to statement timeout", "57014")));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.code()).isEqualTo("query_timeout");
        assertThat(answer.retryAfterSeconds()).isEqualTo(30);
    }
}
