package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.enrich.DailyKey;
import io.sightline.enrich.DeviceFacts;
import io.sightline.enrich.Draft;
import io.sightline.enrich.DropReason;
import io.sightline.enrich.Enricher;
import io.sightline.enrich.GeoMemo;
import io.sightline.enrich.Outcome;
import io.sightline.enrich.RequestFacts;
import io.sightline.enrich.Salts;
import io.sightline.enrich.Step;
import io.sightline.event.Event;
import io.sightline.event.EventValidator;
import io.sightline.event.Validation;
import io.sightline.event.ValidationLimits;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineTest {
    private static final Instant NOON = Instant.parse("2026-11-24T12:00:00Z");
    private static final EventValidator VALIDATOR =
            new EventValidator(ValidationLimits.defaults(), Clock.fixed(NOON, ZoneOffset.UTC));
    private static final RequestFacts REQUEST = new RequestFacts(1, null, null, false, NOON,
            new Salts(LocalDate.of(2026, 11, 24), new DailyKey(salt()), Optional.empty()), DeviceFacts.UNKNOWN,
            GeoMemo.NONE);

    /** Remembers which step timers were asked for and which recorded, in order. */
    private static final class Timings implements IngestListener {
        final List<String> built = new ArrayList<>();
        final List<String> recorded = new ArrayList<>();

        @Override
        public StepTimer stepTimer(String step) {
            built.add(step);
            return nanos -> {
                assertThat(nanos).isNotNegative();
                recorded.add(step);
            };
        }
    }

    private static Step passing(String name) {
        return step(name, null);
    }

    private static Step step(String name, DropReason drop) {
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Outcome apply(Draft draft, RequestFacts request) {
                return drop == null ? draft : new Outcome.Drop(drop);
            }
        };
    }

    @Test
    void names_validation_first_then_the_enrichment_steps_in_order() {
        Timings timings = new Timings();
        Pipeline pipeline = new Pipeline(VALIDATOR, new Enricher(List.of(passing("consent"), passing("geoip"))),
                timings);

        assertThat(pipeline.stepNames()).containsExactly("validate", "consent", "geoip");
        assertThat(timings.built).containsExactly("validate", "consent", "geoip");
    }

    @Test
    void times_every_step_by_name_once_per_event() throws Exception {
        Timings timings = new Timings();
        Pipeline pipeline = new Pipeline(VALIDATOR, new Enricher(List.of(passing("consent"), passing("geoip"))),
                timings);

        Outcome outcome = pipeline.enrich(valid(pipeline), REQUEST);

        assertThat(outcome).isInstanceOf(Draft.class);
        assertThat(timings.recorded).containsExactly("validate", "consent", "geoip");
    }

    @Test
    void stops_at_the_first_drop_and_runs_no_later_step() throws Exception {
        Timings timings = new Timings();
        Pipeline pipeline = new Pipeline(VALIDATOR, new Enricher(List.of(passing("consent"),
                step("bot_filter", DropReason.BOT), passing("ip_hash"))), timings);

        Outcome outcome = pipeline.enrich(valid(pipeline), REQUEST);

        assertThat(outcome).isEqualTo(new Outcome.Drop(DropReason.BOT));
        assertThat(timings.recorded).containsExactly("validate", "consent", "bot_filter");
    }

    @Test
    void rejects_an_invalid_event_in_the_validate_step_and_times_it_too() throws Exception {
        Timings timings = new Timings();
        Pipeline pipeline = new Pipeline(VALIDATOR, new Enricher(List.of(passing("consent"))), timings);

        Validation validation = pipeline.validate(json("{\"type\":\"no_such_type\",\"occurred_at\":\"" + NOON + "\"}"));

        assertThat(validation).isInstanceOf(Validation.Invalid.class);
        assertThat(timings.recorded).containsExactly("validate");
    }

    private static Event valid(Pipeline pipeline) throws Exception {
        Validation validation = pipeline.validate(json("{\"type\":\"screenshot\",\"occurred_at\":\"" + NOON + "\"}"));
        assertThat(validation).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) validation).event();
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    private static byte[] salt() {
        byte[] salt = new byte[32];
        Arrays.fill(salt, (byte) 7);
        return salt;
    }
}
