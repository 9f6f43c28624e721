package io.sightline.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class SessionsTest {
    private static final long MINUTE = 60_000;

    @TempDir
    File dir;

    @Test
    void events_less_than_the_timeout_apart_share_a_session_and_a_longer_pause_starts_a_new_one() {
        Sessions s = new Sessions(new File(dir, "session"), 30 * MINUTE);
        String first = s.sessionFor(0);
        assertThat(s.sessionFor(29 * MINUTE)).isEqualTo(first);
        assertThat(s.sessionFor(58 * MINUTE)).as("measured from the last event, not the first").isEqualTo(first);
        assertThat(s.sessionFor(88 * MINUTE)).isNotEqualTo(first);
    }

    @Test
    void a_restart_within_the_timeout_continues_the_session_and_a_later_one_does_not() throws IOException {
        File file = new File(dir, "session");
        Sessions before = new Sessions(file, 30 * MINUTE);
        String id = before.sessionFor(1_000);
        before.save(true);

        assertThat(new Sessions(file, 30 * MINUTE).sessionFor(20 * MINUTE)).isEqualTo(id);
        assertThat(new Sessions(file, 30 * MINUTE).sessionFor(40 * MINUTE)).isNotEqualTo(id);
    }

    @Test
    void an_event_slightly_older_than_the_last_one_does_not_move_the_session_back() throws IOException {
        File file = new File(dir, "session");
        Sessions s = new Sessions(file, 30 * MINUTE);
        String id = s.sessionFor(10 * MINUTE);
        s.sessionFor(9 * MINUTE);
        s.save(true);
        assertThat(new Sessions(file, 30 * MINUTE).sessionFor(39 * MINUTE)).isEqualTo(id);
    }

    @Test
    void a_damaged_session_file_starts_a_new_session() throws IOException {
        File file = new File(dir, "session");
        StateFiles.write(file, "garbage");
        assertThat(new Sessions(file, 30 * MINUTE).sessionFor(0)).hasSize(36);
    }
}
