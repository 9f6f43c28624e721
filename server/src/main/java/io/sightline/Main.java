package io.sightline;

import io.sightline.config.Config;
import io.sightline.config.ConfigException;

/**
 * Reads the configuration, starts Sightline, prints first-start credentials, and stops it on SIGTERM; or, with
 * {@code rollup --app= --from= --to=}, rolls up a range of days and exits.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (args.length > 0 && args[0].equals("rollup")) {
            try {
                System.exit(Sightline.rollupCommand(config, java.util.Arrays.copyOfRange(args, 1, args.length), System.out));
            } catch (Exception e) {
                System.err.println("rollup could not start: " + e.getMessage());
                System.exit(1);
            }
            return;
        }
        if (args.length > 0) {
            System.err.println("unknown command " + args[0] + "; the only command is: rollup --app=<id> --from=<date> --to=<date>");
            System.exit(2);
            return;
        }
        Sightline sightline;
        try {
            sightline = Sightline.start(config);
        } catch (Exception e) {
            System.err.println("Sightline could not start: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
            return;
        }
        printCreated(sightline);
        Runtime.getRuntime().addShutdownHook(new Thread(sightline::close, "shutdown"));
    }

    /** Shown once, on the first start: these are the only copies of the credentials anyone will see. */
    private static void printCreated(Sightline sightline) {
        var created = sightline.created();
        if (!created.any()) {
            return;
        }
        StringBuilder out = new StringBuilder("\nSightline created on first start (shown only this once):\n");
        created.defaultApp().ifPresent(app -> out.append("  app:         ").append(app.name())
                .append(" (id ").append(app.id()).append(")\n")
                .append("  write key:   ").append(app.writeKey()).append('\n'));
        created.adminToken().ifPresent(token -> out.append("  admin token: ").append(token).append('\n'));
        System.out.println(out);
        System.out.flush();
    }
}
