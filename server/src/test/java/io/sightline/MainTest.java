package io.sightline;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void help_lists_every_command_and_exits_0() {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("serve", "rollup --app=<id>", "help");
    }

    @Test
    void an_unknown_command_exits_2_with_the_list() {
        assertThat(run("rolup")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("unknown command rolup\n").contains("serve", "rollup");
    }

    @Test
    void serve_refuses_arguments_before_starting_anything() {
        assertThat(run("serve", "--port=1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("serve takes no arguments");
    }
}
