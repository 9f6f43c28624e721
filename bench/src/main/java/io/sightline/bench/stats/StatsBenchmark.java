package io.sightline.bench.stats;

import io.sightline.bench.Directories;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.bench.ingest.SightlineProcess;
import io.sightline.store.Database;
import io.sightline.store.EmbeddedDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Issue 4's stats benchmark: a fresh embedded PostgreSQL filled by {@link StatsDataLoader} (one measured app and a
 * second one that must not leak into it), the real server started on it, the year rolled up through the backfill
 * endpoint, then each stats question timed through the API (p50/p95 after warm-up) beside the same question answered
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

    record Options(long events, long otherEvents, int days, int runs, int rawRuns, String heap, long seed, int connections,
                   boolean keep) {
        private static final Map<String, String> DEFAULTS = Map.of("--events", "10000000", "--other-events", "1000000",
                "--days", "365", "--runs", "50", "--raw-runs", "3", "--heap", "256m", "--seed", "42", "--connections", "2", "--keep", "false");

        static Options parse(String[] args) {
            Map<String, String> v = new HashMap<>(DEFAULTS);
            for (String arg : args) {
                String[] kv = arg.split("=", 2);
                if (!DEFAULTS.containsKey(kv[0]) || kv.length < 2) {
                    throw new IllegalArgumentException("unknown option " + arg + "; known: " + new TreeSet<>(DEFAULTS.keySet())
                            + " each as --name=value");
                }
                v.put(kv[0], kv[1].replace("_", ""));
            }
            Options o = new Options(Long.parseLong(v.get("--events")), Long.parseLong(v.get("--other-events")),
                    Integer.parseInt(v.get("--days")), Integer.parseInt(v.get("--runs")),
                    Integer.parseInt(v.get("--raw-runs")), v.get("--heap"), Long.parseLong(v.get("--seed")),
                    Integer.parseInt(v.get("--connections")), Boolean.parseBoolean(v.get("--keep")));
            if (o.events < 1 || o.otherEvents < 0 || o.days < 30 || o.runs < 1 || o.rawRuns < 1 || o.connections < 1) {
                throw new IllegalArgumentException("need --events >= 1, --other-events >= 0, --days >= 30, --runs >= 1,"
                        + " --raw-runs >= 1, --connections >= 1");
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
        LocalDate today = LocalDate.ofInstant(end, ZoneOffset.UTC);
        System.out.printf(Locale.ROOT, "Stats benchmark: %d cores, server -Xmx%s, %,d + %,d events over %d days, %d runs"
                        + " (after %d warm-up) per API question, %d per raw scan; data in %s%n%n",
                Runtime.getRuntime().availableProcessors(), options.heap, options.events, options.otherEvents,
                options.days, options.runs, WARM_UP, options.rawRuns, dir);
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0)) {
            long[] apps = createApps(pg);
            load(pg, apps, end);
            try (SightlineProcess server = SightlineProcess.start(pg.jdbcUrl(), pg.password(),
                    SightlineProcess.readmeJvm(options.heap), dir.resolve("server.log"))) {
                ApiClient api = new ApiClient(server.port(), mapper);
                String admin = server.adminToken();
                // The whole days the 365-day questions ask for, up to yesterday; today is read from raw events.
                LocalDate first = today.minusDays(Math.min(options.days, 365) - 1L);
                for (long app : apps) {
                    backfill(api, admin, app, first, today.minusDays(1));
                }
                String token = readToken(api, admin, apps[0]);
                measure(api, token, admin, pg, apps[0], today);
            }
        } finally {
            if (!options.keep) {
                Directories.deleteTree(dir.resolve("postgres")); // the cluster; server.log stays
            }
        }
    }

    /** The measured app and the isolation app, made in SQL before the server's first start so their ids are known. */
    private long[] createApps(EmbeddedDatabase pg) throws Exception {
        try (Database db = Database.open(pg.jdbcUrl(), pg.user(), pg.password(), 2);
             Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO apps (name, write_key) VALUES (?, ?) RETURNING id")) {
            long[] ids = new long[2];
            String[] names = {"bench", "bench-isolation"};
            for (int i = 0; i < 2; i++) {
                s.setString(1, names[i]);
                s.setString(2, "wk_stats_bench_" + i);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    ids[i] = rs.getLong(1);
                }
            }
            return ids;
        }
    }

    private void load(EmbeddedDatabase pg, long[] apps, Instant end) throws Exception {
        StatsDataLoader loader = new StatsDataLoader(pg.jdbcUrl(), pg.user(), pg.password(), options.connections);
        long start = System.nanoTime();
        long[] nextReport = {1_000_000};
        List<StatsDataLoader.AppData> data = new ArrayList<>(List.of(new StatsDataLoader.AppData(apps[0], options.events,
                options.seed)));
        if (options.otherEvents > 0) {
            data.add(new StatsDataLoader.AppData(apps[1], options.otherEvents, options.seed + 1));
        }
        System.out.println("== generating and loading with COPY over " + options.connections + " connections");
        StatsDataLoader.Result r = loader.load(Catalog.standard(), data, options.days, end, rows -> {
            if (rows >= nextReport[0]) {
                nextReport[0] += 1_000_000;
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "    %,12d rows  %6.1f s  %,9.0f rows/s%n", rows, s, rows / s);
            }
        });
        System.out.printf(Locale.ROOT, "    loaded %,d rows (%,d visitors, %,d sessions) in %.1f s: %,.0f rows/s%n", r.rows(),
                r.visitors(), r.sessions(), r.elapsed().toNanos() / 1e9, r.rowsPerSecond());
        System.out.printf(Locale.ROOT, "    VACUUM ANALYZE %.1f s%n", loader.vacuumAnalyze().toNanos() / 1e9);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             PreparedStatement s = c.prepareStatement("SELECT app_id, count(*), pg_size_pretty(sum(pg_column_size(t.*)))"
                     + " FROM analytics_events t GROUP BY app_id ORDER BY app_id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                System.out.printf(Locale.ROOT, "    app %d: %,d rows, %s of row data%n", rs.getLong(1), rs.getLong(2),
                        rs.getString(3));
            }
        }
        System.out.println();
    }

    private void backfill(ApiClient api, String admin, long app, LocalDate from, LocalDate to) throws Exception {
        long start = System.nanoTime();
        ApiClient.Answer a = api.post(StatsApi.backfillPath(app), admin, StatsApi.backfillBody(from, to));
        if (a.status() == 400 && a.body().contains("\"field\":\"to\"")) {
            // Just after midnight yesterday may not count as finished yet: roll up to the day before.
            to = to.minusDays(1);
            a = api.post(StatsApi.backfillPath(app), admin, StatsApi.backfillBody(from, to));
        }
        if (a.status() == 404) {
            System.out.printf(Locale.ROOT, "== rollup backfill of app %d: missing (404 on %s); stats read raw events%n", app,
                    StatsApi.backfillPath(app));
            return;
        }
        if (a.status() != 202 && a.status() != 200) {
            throw new IllegalStateException("backfill answered " + a.status() + ": " + excerpt(a.body()));
        }
        String id = StatsApi.backfillId(a.json(mapper));
        JsonNode status;
        long giveUpAt = System.nanoTime() + 3_600_000_000_000L;
        long nextPrint = System.nanoTime() + 10_000_000_000L;
        while (true) {
            ApiClient.Answer s = api.get(StatsApi.backfillStatusPath(app, id), admin);
            if (s.status() != 200) {
                throw new IllegalStateException("backfill status answered " + s.status() + ": " + excerpt(s.body()));
            }
            status = s.json(mapper);
            String state = StatsApi.backfillState(status);
            if (StatsApi.BACKFILL_DONE.contains(state)) {
                break;
            }
            if (StatsApi.BACKFILL_FAILED.contains(state) || System.nanoTime() > giveUpAt) {
                throw new IllegalStateException("backfill of app " + app + " ended " + excerpt(s.body()));
            }
            if (System.nanoTime() > nextPrint) {
                nextPrint += 10_000_000_000L;
                System.out.printf(Locale.ROOT, "    app %d: %s, %s%n", app, state, StatsApi.backfillProgress(status));
            }
            Thread.sleep(250);
        }
        System.out.printf(Locale.ROOT, "== rollup backfill of app %d, %s to %s: %s in %.1f s%n", app, from, to,
                StatsApi.backfillProgress(status), (System.nanoTime() - start) / 1e9);
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
                    answers.add(q.label() + as + rolled(first.body()) + ": " + excerpt(first.body()));
                    apiTimes = timeApi(api, bearer, q.pathAndQuery());
                    note = (q.targetP95Ms() == 0 ? "" : apiTimes.p95() <= q.targetP95Ms() ? "met" : "MISSED")
                            + (as.isEmpty() ? "" : " admin");
                } else {
                    note = first.status() == 404 ? "missing (404)" : "HTTP " + first.status();
                    answers.add(q.label() + ": HTTP " + first.status() + " " + excerpt(first.body()));
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

    /**
     * The API's 30-day funnel must give, step by step, the counts of the raw query, which restates the README's
     * definition in SQL without sharing any code with the server's counter.
     */
    private void checkFunnel(ApiClient api, String token, EmbeddedDatabase pg, long app, LocalDate today) throws Exception {
        StatsApi.Question funnel = StatsApi.questions(app, today).stream()
                .filter(q -> q.label().startsWith("funnel")).findFirst().orElseThrow();
        ApiClient.Answer a = api.get(funnel.pathAndQuery(), token);
        if (a.status() != 200) {
            return;
        }
        List<Long> fromApi = new ArrayList<>();
        a.json(mapper).path("steps").forEach(step -> fromApi.add(step.path("count").asLong(-1)));
        List<Long> raw = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             PreparedStatement s = c.prepareStatement(funnel.raw().sql())) {
            for (int p = 0; p < funnel.raw().parameters().size(); p++) {
                s.setObject(p + 1, funnel.raw().parameters().get(p));
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    raw.add(rs.getLong(i));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n== funnel over 30 d: API %s, raw %s (%s)%n", fromApi, raw,
                fromApi.equals(raw) ? "equal" : "DIFFERENT");
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

    private static String excerpt(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ");
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
    }
}
