package io.sightline;

import io.sightline.config.Config;

import java.io.PrintStream;
import java.util.List;

/**
 * One thing the {@code sightline} program does, picked by its first argument ({@link Main}). The admin CLI grows
 * by adding commands here, each with its own usage line.
 */
interface Command {
    /** What {@link #run} returns for a command that keeps the process alive (the server). */
    int KEEPS_RUNNING = -1;

    String name();

    /** One line: how to call it and what it does. */
    String usage();

    /**
     * @param args the arguments after the command's name
     * @return the process's exit status (0 done, 1 failed, 2 bad arguments), or {@link #KEEPS_RUNNING}
     */
    int run(Config config, List<String> args, PrintStream out, PrintStream err) throws Exception;

    /** A command that runs once and ends with an exit status. */
    interface Body {
        int run(Config config, List<String> args, PrintStream out) throws Exception;
    }

    static Command of(String name, String usage, Body body) {
        return new Command() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String usage() {
                return usage;
            }

            @Override
            public int run(Config config, List<String> args, PrintStream out, PrintStream err) throws Exception {
                return body.run(config, args, out);
            }
        };
    }
}
