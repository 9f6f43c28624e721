package io.sightline.bench.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.store.EmbeddedDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 4's stats benchmark: on a {@link StatsRig} (a fresh embedded PostgreSQL filled with one measured app and a
 * second one that must not leak into it, the real server started on it, the year rolled up through the backfill
 * endpoint), each stats question timed through the API (p50/p95 after warm-up) beside the same question answered
 * by scanning {@code analytics_events} (p50). An endpoint that answers 404 is reported as missing and skipped.
 * Options: --events=10000000 --other-events=1000000 --days=365 --runs=50 --raw-runs=3 --heap=256m --seed=42
 * --connections=2 --keep=false (true keeps the database directory, several GB at 10M events).
 */
public final class StatsBenchmark {
    private static final int WARM_UP = 5;

    private final Options options;
    private final ObjectMapper mapper = new ObjectMapper();

    private StatsBenchmark(Options options) {
        this.options = options;
    }

    record Options(StatsRig.Data data, int runs, int rawRuns) {
        private static final Map<String, String> OWN_DEFAULTS = Map.of("--runs", "50", "--raw-runs", "3");

        static Options parse(String[] args) {
            Map<String, String> v = StatsRig.options(args, OWN_DEFAULTS);
            Options o = new Options(StatsRig.data(v), Integer.parseInt(v.get("--runs")), Integer.parseInt(v.get("--raw-runs")));
            if (o.runs < 1 || o.rawRuns < 1) {
                throw new IllegalArgumentException("need --runs >= 1, --raw-runs >= 1");
            }
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        new StatsBenchmark(Options.parse(args)).run();
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "stats-bench-");
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StatsRig.Data data = options.data;
        System.out.printf(Locale.ROOT, "Stats benchmark: %d cores, server -Xmx%s, %,d + %,d events over %d days, %d runs"
                        + " (after %d warm-up) per API question, %d per raw scan; data in %s%n%n",
                Runtime.getRuntime().availableProcessors(), data.heap(), data.events(), data.otherEvents(),
                data.days(), options.runs, WARM_UP, options.rawRuns, dir);
        try (StatsRig rig = StatsRig.start(data, dir, end)) {
            ApiClient api = rig.api();
            String admin = rig.adminToken();
            String token = readToken(api, admin, rig.app());
            measure(api, token, admin, rig.database(), rig.app(), rig.today());
        }
    }

    /** A read-only API token for the app; the admin token when the endpoint is not there yet. */
    private String readToken(ApiClient api, String admin, long app) throws Exception {
        ApiClient.Answer a = api.post(StatsApi.apiTokensPath(app), admin, StatsApi.apiTokenBody("stats benchmark"));
        String token = a.status() / 100 == 2 ? StatsApi.apiToken(a.json(mapper)) : null;
        if (token == null) {
            System.out.printf(Locale.ROOT, "== API token: %s answered %d; using the admin token%n",
                    StatsApi.apiTokensPath(app), a.status());
            return admin;
        }
        return token;
    }

    private void measure(ApiClient api, String token, String admin, EmbeddedDatabase pg, long app, LocalDate today)
            throws Exception {
        List<String> rows = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            for (StatsApi.Question q : StatsApi.questions(app, today)) {
                System.out.println("== " + q.label());
                Timings apiTimes = null;
                String note;
                String bearer = token;
                ApiClient.Answer first = api.get(q.pathAndQuery(), bearer);
                String as = "";
                if ((first.status() == 401 || first.status() == 403) && !token.equals(admin)) {
                    bearer = admin; // the route does not take the read token (yet): measure it all the same
                    first = api.get(q.pathAndQuery(), bearer);
                    as = " (admin token)";
                }
                if (first.status() == 200) {
                    answers.add(q.label() + as + rolled(first.body()) + ": " + ApiClient.excerpt(first.body()));
                    apiTimes = timeApi(api, bearer, q.pathAndQuery());
                    note = (q.targetP95Ms() == 0 ? "" : apiTimes.p95() <= q.targetP95Ms() ? "met" : "MISSED")
                            + (as.isEmpty() ? "" : " admin");
                } else {
                    note = first.status() == 404 ? "missing (404)" : "HTTP " + first.status();
                    answers.add(q.label() + ": HTTP " + first.status() + " " + ApiClient.excerpt(first.body()));
                }
                Timings raw = timeRaw(c, q.raw());
                rows.add(String.format(Locale.ROOT, "%-26s %7s %9s %9s %-14s %10.1f %9s", q.label(),
                        q.targetP95Ms() == 0 ? "-" : "<=" + q.targetP95Ms(), ms(apiTimes, 50), ms(apiTimes, 95), note,
                        raw.p50(), apiTimes == null ? "-" : String.format(Locale.ROOT, "%.1fx", raw.p50() / apiTimes.p50())));
            }
        }
        checkCounts(api, token, pg, app, today);
        checkFunnel(api, token, pg, app, today);
        System.out.printf(Locale.ROOT, "%nFirst answers (excerpts)%n");
        answers.forEach(a -> System.out.println("    " + a));
        System.out.printf(Locale.ROOT, "%nResults (ms; API over HTTP, raw = the same question as one SQL scan over JDBC)%n");
        System.out.printf(Locale.ROOT, "%-26s %7s %9s %9s %-14s %10s %9s%n", "question", "target", "API p50", "API p95",
                "p95 target", "raw p50", "raw/API");
        rows.forEach(System.out::println);
    }

    /**
     * The API's 365-day event count must equal a raw count of this app's rows, and differ from the count over every
     * app: the other app's events neither leak in nor get lost.
     */
    private void checkCounts(ApiClient api, String token, EmbeddedDatabase pg, long app, LocalDate today) throws Exception {
        StatsApi.Question summary = StatsApi.questions(app, today).get(0);
        ApiClient.Answer a = api.get(summary.pathAndQuery(), token);
        if (a.status() != 200) {
            return;
        }
        long fromApi = StatsApi.summaryEvents(a.json(mapper));
        List<Object> p = summary.raw().parameters();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             PreparedStatement s = c.prepareStatement("SELECT count(*) FILTER (WHERE app_id = ?), count(*)"
                     + " FROM analytics_events WHERE occurred_at >= ? AND occurred_at < ?")) {
            s.setObject(1, p.get(0));
            s.setObject(2, p.get(1));
            s.setObject(3, p.get(2));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                System.out.printf(Locale.ROOT, "%n== counts over 365 d: API %,d events, raw %,d for app %d (%s), %,d for all"
                        + " apps%n", fromApi, rs.getLong(1), app, fromApi == rs.getLong(1) ? "equal" : "DIFFERENT",
                        rs.getLong(2));
            }
        }
    }

    /** How far the README lets a funnel answered from daily funnel rollups stray from the exact count, per step. */
    private static final double ROLLED_FUNNEL_BOUND = 0.02;

    /**
     * The API's 30-day funnels against the raw query, which restates the README's definition in SQL without sharing
     * any code with the server's counter: the funnel counted from raw events must give the same counts step by step;
     * the one answered from daily funnel rollups ({@code rolled_days} > 0) counts with sketches, which the README
     * bounds at about 2 %, so its largest difference is printed beside the bound.
     */
    private void checkFunnel(ApiClient api, String token, EmbeddedDatabase pg, long app, LocalDate today) throws Exception {
        for (StatsApi.Question funnel : StatsApi.questions(app, today)) {
            if (!funnel.label().startsWith("funnel")) {
                continue;
            }
            ApiClient.Answer a = api.get(funnel.pathAndQuery(), token);
            if (a.status() != 200) {
                System.out.printf(Locale.ROOT, "%n== %s: the API answered %d%n", funnel.label(), a.status());
                continue;
            }
            JsonNode answer = a.json(mapper);
            List<Long> fromApi = new ArrayList<>();
            answer.path("steps").forEach(step -> fromApi.add(step.path("count").asLong(-1)));
            List<Long> raw = rawCounts(pg, funnel.raw());
            System.out.printf(Locale.ROOT, "%n== %s: API %s, raw %s (%s)%n", funnel.label(), fromApi, raw,
                    verdict(fromApi, raw, answer.path("rolled_days").asInt(0)));
        }
    }

    /** Exact counts must be equal; counts from funnel rollups within the README's bound of each step's exact one. */
    private static String verdict(List<Long> fromApi, List<Long> raw, int rolledDays) {
        if (rolledDays == 0) {
            return fromApi.equals(raw) ? "equal" : "DIFFERENT";
        }
        double worst = 0;
        for (int i = 0; i < Math.min(fromApi.size(), raw.size()); i++) {
            worst = Math.max(worst, Math.abs(fromApi.get(i) - raw.get(i)) / (double) Math.max(1, raw.get(i)));
        }
        boolean within = fromApi.size() == raw.size() && worst <= ROLLED_FUNNEL_BOUND;
        return String.format(Locale.ROOT, "%d rolled days: at most %.2f %% apart, %s the README's %.0f %%",
                rolledDays, 100 * worst, within ? "within" : "OUTSIDE", 100 * ROLLED_FUNNEL_BOUND);
    }

    private static List<Long> rawCounts(EmbeddedDatabase pg, RawQueries.Raw query) throws Exception {
        List<Long> raw = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             PreparedStatement s = c.prepareStatement(query.sql())) {
            for (int p = 0; p < query.parameters().size(); p++) {
                s.setObject(p + 1, query.parameters().get(p));
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    raw.add(rs.getLong(i));
                }
            }
        }
        return raw;
    }

    private Timings timeApi(ApiClient api, String token, String pathAndQuery) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            api.get(pathAndQuery, token);
        }
        double[] ms = new double[options.runs];
        for (int i = 0; i < options.runs; i++) {
            long start = System.nanoTime();
            ApiClient.Answer a = api.get(pathAndQuery, token);
            ms[i] = (System.nanoTime() - start) / 1e6;
            if (a.status() != 200) {
                throw new IllegalStateException(pathAndQuery + " answered " + a.status() + " on run " + i);
            }
        }
        return Timings.of(ms);
    }

    private Timings timeRaw(Connection c, RawQueries.Raw raw) throws Exception {
        double[] ms = new double[options.rawRuns];
        try (PreparedStatement s = c.prepareStatement(raw.sql())) {
            for (int p = 0; p < raw.parameters().size(); p++) {
                s.setObject(p + 1, raw.parameters().get(p));
            }
            for (int i = -1; i < options.rawRuns; i++) { // run -1 warms the cache and is not counted
                long start = System.nanoTime();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        // read every row, as the API must
                    }
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        return Timings.of(ms);
    }

    private static String ms(Timings t, double p) {
        return t == null ? "-" : String.format(Locale.ROOT, "%.1f", t.percentile(p));
    }

    /** What the answer says it read from rollups: " [rolled_days=…]" (of the current period), or nothing. */
    private String rolled(String body) {
        try {
            List<String> days = new ArrayList<>();
            mapper.readTree(body).findValues("rolled_days").forEach(n -> days.add(n.asText()));
            return days.isEmpty() ? "" : " [rolled_days=" + String.join("/", days) + "]";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
