package io.sightline;

import io.sightline.auth.Bootstrap;
import io.sightline.config.Config;

import java.io.PrintStream;
import java.util.List;

/** {@code serve} (also: no command at all): starts the server, prints first-start credentials, stops on SIGTERM. */
final class ServeCommand implements Command {
    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String usage() {
        return "serve                 run the server (the default when no command is given)";
    }

    @Override
    public int run(Config config, List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("serve takes no arguments; settings come from SIGHTLINE_* environment variables");
            return 2;
        }
        Sightline sightline;
        try {
            sightline = Sightline.start(config);
        } catch (Exception e) {
            err.println("Sightline could not start: " + e.getMessage());
            e.printStackTrace(err);
            return 1;
        }
        printCreated(sightline, config, out);
        Runtime.getRuntime().addShutdownHook(new Thread(sightline::close, "shutdown"));
        return KEEPS_RUNNING;
    }

    /** Shown once, on the first start: these are the only copies of the credentials anyone will see. */
    private static void printCreated(Sightline sightline, Config config, PrintStream out) {
        var created = sightline.created();
        if (!created.any()) {
            return;
        }
        StringBuilder text = new StringBuilder("\nSightline created on first start (shown only this once):\n");
        created.defaultApp().ifPresent(app -> text.append("  app:         ").append(app.name())
                .append(" (id ").append(app.id()).append(")\n")
                .append("  write key:   ").append(app.writeKey()).append('\n'));
        created.adminToken().ifPresent(token -> text.append("  admin token: ").append(token).append('\n'));
        created.passwordLink().ifPresent(link -> text.append("  dashboard:   ").append(config.dashboard().publicUrl()
                .map(Object::toString).orElse("http://localhost:" + sightline.port())).append(link)
                .append("  (sets the password of ").append(Bootstrap.FIRST_USER).append(")\n"));
        out.println(text);
        out.flush();
    }
}
