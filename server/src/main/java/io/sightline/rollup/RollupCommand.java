package io.sightline.rollup;

import io.sightline.error.DomainException;
import io.sightline.error.Kind;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code rollup --app=<id> --from=<date> --to=<date>}: rolls the days in the foreground, printing one line per
 * day; exit status 0 when every day was rolled, 1 on a failure, 2 on bad arguments.
 */
public final class RollupCommand {
    public static final String USAGE = "usage: rollup --app=<id> --from=YYYY-MM-DD --to=YYYY-MM-DD";

    private final BackfillService backfills;
    private final PrintStream out;

    public RollupCommand(BackfillService backfills, PrintStream out) {
        this.backfills = backfills;
        this.out = out;
    }

    /** {@code args} are the arguments after "rollup". */
    public int run(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                out.println("unknown argument " + arg + "\n" + USAGE);
                return 2;
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        long app;
        LocalDate from;
        LocalDate to;
        try {
            app = Long.parseLong(required(options, "app"));
            from = LocalDate.parse(required(options, "from"));
            to = LocalDate.parse(required(options, "to"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            out.println("bad arguments: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        try {
            int days = backfills.validate(app, from, to);
            int done = backfills.rollRange(app, from, to, (result, nanos) -> out.printf(
                    "%s  %d events, %d rows  (%d/%d, %d ms)%n", result.day(), result.events(),
                    result.statsRows() + result.valuesRows(), ChronoUnit.DAYS.between(from, result.day()) + 1, days,
                    nanos / 1_000_000));
            out.println("rolled up " + done + " days of app " + app);
            return 0;
        } catch (DomainException e) {
            // A refused range is a bad argument (2); a missing app or storage that is down is a failure (1).
            out.println((e.field() == null ? "" : e.field() + ": ") + e.getMessage());
            return e.kind() == Kind.INVALID ? 2 : 1;
        } catch (Exception e) {
            out.println("rollup failed: " + e.getMessage());
            return 1;
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
