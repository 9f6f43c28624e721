package io.sightline;

import io.sightline.config.Config;
import io.sightline.config.ConfigException;
import io.sightline.rollup.RollupCommand;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The program: reads the configuration, then runs the command its first argument names ({@code serve} when there
 * is none). Exit status 0 done, 1 failed, 2 bad arguments or configuration.
 */
public final class Main {
    private static final List<Command> COMMANDS = List.of(
            new ServeCommand(),
            Command.of("rollup", RollupCommand.USAGE.replaceFirst("^usage: ", "") + "   roll up a range of days and exit",
                    (config, args, out) -> Sightline.rollupCommand(config, args.toArray(String[]::new), out)));

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != Command.KEEPS_RUNNING) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String name = args.length == 0 ? "serve" : args[0];
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
            out.print(usage());
            return 0;
        }
        Optional<Command> command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
        if (command.isEmpty()) {
            err.print("unknown command " + name + "\n" + usage());
            return 2;
        }
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (ConfigException e) {
            err.println("Invalid configuration: " + e.getMessage());
            return 2;
        }
        try {
            return command.get().run(config, rest, out, err);
        } catch (Exception e) {
            err.println(name + " could not run: " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        StringBuilder text = new StringBuilder("usage: sightline <command>; settings come from SIGHTLINE_* environment variables\n");
        COMMANDS.forEach(c -> text.append("  ").append(c.usage()).append('\n'));
        text.append("  help                  this list\n");
        return text.toString();
    }
}
