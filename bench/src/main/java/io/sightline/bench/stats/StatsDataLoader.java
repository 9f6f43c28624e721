package io.sightline.bench.stats;

import io.sightline.store.Database;
import io.sightline.store.PartitionManager;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Loads generated events straight into {@code analytics_events} with COPY: the monthly partitions are created first
 * by the server's {@link PartitionManager}, then one thread generates and encodes chunks of {@link #CHUNK_ROWS} rows
 * while {@code connections} others COPY them, each chunk its own transaction. No HTTP and no staging table: this
 * fills a database, it does not measure ingestion.
 */
final class StatsDataLoader {
    static final int CHUNK_ROWS = 20_000;
    private static final byte[] END = new byte[0];

    /** One app's share: its id, how many events, and the seed its generator starts from. */
    record AppData(long appId, long events, long seed) {}

    record Result(long rows, Duration elapsed, int visitors, int sessions) {
        double rowsPerSecond() {
            return rows / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int connections;

    StatsDataLoader(String jdbcUrl, String user, String password, int connections) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.connections = connections;
    }

    /** Generates and loads each app's events over the {@code days} days before {@code end}; {@code progress} sees row counts. */
    Result load(Catalog catalog, List<AppData> apps, int days, Instant end, LongConsumer progress) throws Exception {
        long startNanos = System.nanoTime();
        ensurePartitions(end.minus(Duration.ofDays(days)), end);
        BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(2 * connections);
        ExecutorService copiers = Executors.newFixedThreadPool(connections, r -> {
            Thread t = new Thread(r, "stats-copy");
            t.setDaemon(true);
            return t;
        });
        List<Future<Long>> copied = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            copied.add(copiers.submit(() -> copy(chunks)));
        }
        long rows = 0;
        int visitors = 0;
        int sessions = 0;
        try {
            CopyChunk chunk = new CopyChunk();
            long[] total = {0};
            for (AppData app : apps) {
                EventGenerator generator = new EventGenerator(catalog, app.appId(), app.seed(), app.events(), days, end);
                generator.generate(e -> {
                    chunk.add(e);
                    if (chunk.rows() == CHUNK_ROWS) {
                        hand(chunks, chunk.take(), copied);
                        total[0] += CHUNK_ROWS;
                        progress.accept(total[0]);
                    }
                });
                visitors += generator.visitors();
                sessions += generator.sessions();
            }
            if (chunk.rows() > 0) {
                total[0] += chunk.rows();
                hand(chunks, chunk.take(), copied);
            }
            for (int i = 0; i < connections; i++) {
                hand(chunks, END, copied);
            }
            for (Future<Long> f : copied) {
                rows += f.get();
            }
        } finally {
            copiers.shutdownNow();
        }
        return new Result(rows, Duration.ofNanos(System.nanoTime() - startNanos), visitors, sessions);
    }

    /** VACUUM ANALYZE of the events table, so the planner knows the new rows and index-only scans work. */
    Duration vacuumAnalyze() throws Exception {
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE analytics_events");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void ensurePartitions(Instant from, Instant to) throws Exception {
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = YearMonth.from(from.atOffset(ZoneOffset.UTC)); !m.isAfter(YearMonth.from(to.atOffset(ZoneOffset.UTC)));
             m = m.plusMonths(1)) {
            months.add(m);
        }
        // Database.open also applies the server's migrations, so a fresh database gets the real schema.
        try (Database db = Database.open(jdbcUrl, user, password, 2)) {
            new PartitionManager(db.dataSource(), Clock.fixed(to, ZoneOffset.UTC), Duration.ZERO).ensureAll(months);
        }
    }

    /** Puts a chunk on the queue, giving up if a copier has failed (it would never take it). */
    private static void hand(BlockingQueue<byte[]> chunks, byte[] chunk, List<Future<Long>> copiers) {
        try {
            while (!chunks.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                for (Future<Long> f : copiers) {
                    if (f.isDone()) {
                        f.get(); // throws the copier's failure
                        throw new IllegalStateException("a COPY connection stopped early");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("COPY failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private long copy(BlockingQueue<byte[]> chunks) throws Exception {
        long rows = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // A bulk load that is lost in a crash is simply run again.
                s.execute("SET synchronous_commit = off");
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            String sql = "COPY analytics_events (" + CopyChunk.COLUMNS + ") FROM STDIN";
            for (byte[] chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                rows += copy.copyIn(sql, new ByteArrayInputStream(chunk));
                c.commit();
            }
        }
        return rows;
    }
}
