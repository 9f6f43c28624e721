package io.sightline.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.sightline.event.Events.accepted;
import static io.sightline.event.Events.json;
import static io.sightline.event.Events.minimal;
import static io.sightline.event.Events.rejected;
import static io.sightline.event.Events.with;
import static org.assertj.core.api.Assertions.assertThat;

/** Text PostgreSQL cannot store is refused, lengths count characters, and messages echo little of the client. */
class StorableTextTest {

    @Test
    void echoes_at_most_64_characters_of_a_client_value() {
        String type = "x".repeat(64) + "TAIL";
        Violation v = rejected(with(minimal(EventType.QR_SCAN), "type", type));

        assertThat(v.message()).contains("x".repeat(64)).doesNotContain("xT", "TAIL");
    }

    @Test
    void never_cuts_a_surrogate_pair_or_echoes_a_control_character() {
        String type = "\t" + "x".repeat(62) + "\uD83D\uDE00" + "tail";
        String message = rejected(with(minimal(EventType.QR_SCAN), "type", type)).message();

        assertThat(message).contains("\"?" + "x".repeat(62) + "\"").doesNotContain("\t", "\uD83D");
    }

    @Test
    void counts_a_surrogate_pair_as_one_character() {
        String hundredEmoji = "\uD83D\uDE00".repeat(100);

        assertThat(accepted(with(minimal(EventType.CUSTOM), "name", hundredEmoji)).name()).isEqualTo(hundredEmoji);
        assertThat(rejected(with(minimal(EventType.CUSTOM), "name", hundredEmoji + "a")).code()).isEqualTo("too_long");
    }

    @Test
    void rejects_a_string_with_a_nul_character() {
        Violation v = rejected(with(minimal(EventType.SCREENSHOT), "session_id", "s\u00001"));

        assertThat(v.code()).isEqualTo("invalid_character");
        assertThat(v.field()).isEqualTo("session_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD83D", "a\uDE00b", "\uDE00\uD83D"})
    void rejects_a_string_with_an_unpaired_surrogate(String s) {
        Violation v = rejected(with(minimal(EventType.CUSTOM), "name", s));

        assertThat(v.code()).isEqualTo("invalid_character");
        assertThat(v.field()).isEqualTo("name");
    }

    @Test
    void rejects_an_unpaired_surrogate_escaped_in_json_text() {
        Violation v = rejected(json("{'type':'screenshot','user_id':'\\ud800'}"));

        assertThat(v.code()).isEqualTo("invalid_character");
    }
}
