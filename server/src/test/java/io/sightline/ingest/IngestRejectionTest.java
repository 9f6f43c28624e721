package io.sightline.ingest;

import io.sightline.error.Kind;
import io.sightline.event.Violation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IngestRejectionTest {

    @Test
    void refuses_a_single_invalid_event_with_the_violations_own_code_field_and_message() {
        IngestRejection e = IngestRejection.invalidEvent(new Violation("missing_field", "type", "type is required"));

        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.reason()).isEqualTo(IngestRejection.Reason.INVALID_EVENT);
        assertThat(e.code()).isEqualTo("missing_field");
        assertThat(e.field()).isEqualTo("type");
        assertThat(e.getMessage()).isEqualTo("type is required");
        assertThat(e.retryAfterSeconds()).isNull();
    }

    @Test
    void answers_an_unconfirmed_commit_as_unavailable_with_a_retry_after_one_second() {
        IngestRejection e = IngestRejection.ackTimeout();

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.code()).isEqualTo("ack_timeout");
        assertThat(e.getMessage())
                .isEqualTo("the events were not confirmed as stored in time; retry with the same event_id values");
        assertThat(e.field()).isNull();
        assertThat(e.retryAfterSeconds()).isEqualTo(1);
    }
}
