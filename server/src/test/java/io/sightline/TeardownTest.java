package io.sightline;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TeardownTest {
    private final List<String> stopped = new ArrayList<>();

    private AutoCloseable part(String name) {
        return () -> stopped.add(name);
    }

    private AutoCloseable failing(String name) {
        return () -> {
            stopped.add(name);
            throw new IllegalStateException(name + " would not stop");
        };
    }

    @Test
    void a_normal_stop_stops_every_part_newest_first_even_past_a_failing_one() {
        Teardown teardown = new Teardown();
        teardown.push("database", part("database"));
        teardown.push("writer", failing("writer"));
        teardown.push("http", part("http"));

        teardown.close();

        assertThat(stopped).containsExactly("http", "writer", "database");
        assertThat(teardown.names()).isEmpty();
    }

    @Test
    void a_start_that_fails_halfway_stops_what_had_started_and_keeps_the_start_failure_first() {
        Teardown teardown = new Teardown();
        teardown.push("embedded postgres", part("embedded postgres"));
        teardown.push("pool", failing("pool"));
        teardown.push("jobs", part("jobs"));
        IllegalStateException startFailure = new IllegalStateException("port 8080 is taken");

        teardown.closeAfter(startFailure);

        assertThat(stopped).containsExactly("jobs", "pool", "embedded postgres");
        assertThat(startFailure.getSuppressed()).singleElement()
                .satisfies(e -> assertThat(e).hasMessage("pool would not stop"));
    }

    @Test
    void stopping_twice_stops_each_part_once() {
        Teardown teardown = new Teardown();
        teardown.push("http", part("http"));
        teardown.close();
        teardown.close();
        assertThat(stopped).containsExactly("http");
    }
}
