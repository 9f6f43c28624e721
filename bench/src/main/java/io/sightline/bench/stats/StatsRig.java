package io.sightline.bench.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.bench.Directories;
import io.sightline.bench.ingest.SightlineProcess;
import io.sightline.store.Database;
import io.sightline.store.EmbeddedDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The year the stats and the dashboard benchmarks measure on: a fresh embedded PostgreSQL filled by
 * {@link StatsDataLoader} (one measured app and a second one that must not leak into it), the real server started on
 * it, and the whole days up to yesterday rolled up through the backfill endpoint. Closing stops the server and the
 * cluster and deletes the cluster unless {@link Data#keep()}; the server's log stays.
 */
public final class StatsRig implements AutoCloseable {
    /** The options both benchmarks share: what to load, and the server's heap. */
    public record Data(long events, long otherEvents, int days, String heap, long seed, int connections, boolean keep) {
        static final Map<String, String> DEFAULTS = Map.of("--events", "10000000", "--other-events", "1000000",
                "--days", "365", "--heap", "256m", "--seed", "42", "--connections", "2", "--keep", "false");

        static Data of(Map<String, String> v) {
            Data d = new Data(Long.parseLong(v.get("--events")), Long.parseLong(v.get("--other-events")),
                    Integer.parseInt(v.get("--days")), v.get("--heap"), Long.parseLong(v.get("--seed")),
                    Integer.parseInt(v.get("--connections")), Boolean.parseBoolean(v.get("--keep")));
            if (d.events < 1 || d.otherEvents < 0 || d.days < 30 || d.connections < 1) {
                throw new IllegalArgumentException("need --events >= 1, --other-events >= 0, --days >= 30, --connections >= 1");
            }
            return d;
        }
    }

    /**
     * {@code --name=value} arguments over the defaults of {@link Data} and {@code own} (a benchmark's other options);
     * {@link #data(Map)} reads the shared ones from the answer.
     */
    public static Map<String, String> options(String[] args, Map<String, String> own) {
        Map<String, String> v = new HashMap<>(Data.DEFAULTS);
        v.putAll(own);
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (!v.containsKey(kv[0]) || kv.length < 2) {
                throw new IllegalArgumentException("unknown option " + arg + "; known: " + new TreeSet<>(v.keySet())
                        + " each as --name=value");
            }
            v.put(kv[0], kv[1].replace("_", ""));
        }
        return v;
    }

    public static Data data(Map<String, String> options) {
        return Data.of(options);
    }

    private final Data data;
    private final Path dir;
    private final EmbeddedDatabase pg;
    private final long[] apps;
    private final LocalDate today;
    private final ObjectMapper mapper = new ObjectMapper();
    private SightlineProcess server;

    private StatsRig(Data data, Path dir, EmbeddedDatabase pg, long[] apps, Instant end) {
        this.data = data;
        this.dir = dir;
        this.pg = pg;
        this.apps = apps;
        this.today = LocalDate.ofInstant(end, ZoneOffset.UTC);
    }

    /**
     * Loads {@code data} over the days before {@code end} into a cluster under {@code dir}, starts the server and
     * rolls the year up; whatever started is stopped again when a step fails.
     */
    public static StatsRig start(Data data, Path dir, Instant end) throws Exception {
        EmbeddedDatabase pg;
        try {
            pg = EmbeddedDatabase.start(dir, 0);
        } catch (Exception e) {
            deleteCluster(data, dir);
            throw e;
        }
        StatsRig rig = null;
        try {
            rig = new StatsRig(data, dir, pg, createApps(pg), end);
            rig.load(end);
            // The server's own files (its secret key) go beside its log: not into bench/data, shared by every run.
            rig.server = SightlineProcess.start(pg.jdbcUrl(), pg.password(), SightlineProcess.readmeJvm(data.heap),
                    Map.of("SIGHTLINE_DATA_DIR", dir.toString()), dir.resolve("server.log"));
            // The whole days the 365-day questions ask for, up to yesterday; today is read from raw events.
            LocalDate first = rig.today.minusDays(Math.min(data.days, 365) - 1L);
            for (long app : rig.apps) {
                rig.backfill(app, first, rig.today.minusDays(1));
            }
            return rig;
        } catch (Exception | Error e) {
            try (AutoCloseable started = rig != null ? rig : () -> {
                pg.close();
                deleteCluster(data, dir);
            }) {
                throw e; // whatever closing throws is added to e as suppressed
            }
        }
    }

    /** The measured app. */
    public long app() {
        return apps[0];
    }

    /** The last day of the data, in UTC: the day the benchmark runs. */
    public LocalDate today() {
        return today;
    }

    public int port() {
        return server.port();
    }

    /** The admin token the server printed at its first start. */
    public String adminToken() throws Exception {
        return server.adminToken();
    }

    public ApiClient api() {
        return new ApiClient(server.port(), mapper);
    }

    EmbeddedDatabase database() {
        return pg;
    }

    /** The measured app and the isolation app, made in SQL before the server's first start so their ids are known. */
    private static long[] createApps(EmbeddedDatabase pg) throws Exception {
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

    private void load(Instant end) throws Exception {
        StatsDataLoader loader = new StatsDataLoader(pg.jdbcUrl(), pg.user(), pg.password(), data.connections);
        long start = System.nanoTime();
        long[] nextReport = {1_000_000};
        List<StatsDataLoader.AppData> appData = new ArrayList<>(List.of(new StatsDataLoader.AppData(apps[0], data.events,
                data.seed)));
        if (data.otherEvents > 0) {
            appData.add(new StatsDataLoader.AppData(apps[1], data.otherEvents, data.seed + 1));
        }
        System.out.println("== generating and loading with COPY over " + data.connections + " connections");
        StatsDataLoader.Result r = loader.load(Catalog.standard(), appData, data.days, end, rows -> {
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

    private void backfill(long app, LocalDate from, LocalDate to) throws Exception {
        ApiClient api = api();
        String admin = adminToken();
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
            throw new IllegalStateException("backfill answered " + a.status() + ": " + ApiClient.excerpt(a.body()));
        }
        String id = StatsApi.backfillId(a.json(mapper));
        JsonNode status;
        long giveUpAt = System.nanoTime() + 3_600_000_000_000L;
        long nextPrint = System.nanoTime() + 10_000_000_000L;
        while (true) {
            ApiClient.Answer s = api.get(StatsApi.backfillStatusPath(app, id), admin);
            if (s.status() != 200) {
                throw new IllegalStateException("backfill status answered " + s.status() + ": " + ApiClient.excerpt(s.body()));
            }
            status = s.json(mapper);
            String state = StatsApi.backfillState(status);
            if (StatsApi.BACKFILL_DONE.contains(state)) {
                break;
            }
            if (StatsApi.BACKFILL_FAILED.contains(state) || System.nanoTime() > giveUpAt) {
                throw new IllegalStateException("backfill of app " + app + " ended " + ApiClient.excerpt(s.body()));
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

    @Override
    public void close() throws Exception {
        try (EmbeddedDatabase database = pg) {
            if (server != null) {
                server.close();
            }
        } finally {
            deleteCluster(data, dir);
        }
    }

    private static void deleteCluster(Data data, Path dir) throws java.io.IOException {
        if (!data.keep) {
            Directories.deleteTree(dir.resolve("postgres")); // the cluster; server.log stays
        }
    }
}
