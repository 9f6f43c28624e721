package io.sightline.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server run from the binaries on the class path, its files kept in a data directory
 * across restarts. As root, zonky runs it inside a user namespace ({@code unshare -U}); where the system
 * refuses that, start-up fails with a message that names the two ways out.
 *
 * <p>zonky creates clusters that trust every local connection, which on a shared machine would let any user
 * read every event. Here the cluster is created with scram-sha-256 authentication and a random superuser
 * password, kept in {@code dataDirectory/postgres-password} (mode 600); a cluster made without one is
 * converted on its next start.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private static final String HBA = "# written by Sightline: password (scram-sha-256) for every connection\n"
            + "local all all scram-sha-256\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n"
            + "host all all ::1/128 scram-sha-256\n";

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /** Starts PostgreSQL with its cluster in {@code dataDirectory/postgres}; port 0 picks a free port. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        Path cluster = dataDirectory.resolve("postgres");
        // The binaries are unpacked beside the cluster rather than in the shared /tmp/embedded-pg, so that
        // runs by different users of one machine never trip over each other's files.
        Path runtime = dataDirectory.resolve("pg-runtime");
        checkRootCanUseUserNamespaces();
        try {
            Files.createDirectories(cluster);
            Files.createDirectories(runtime);
            stopOrphanedServer(cluster);
            ownerOnlyWrites(runtime);
            Path passwordFile = dataDirectory.resolve("postgres-password");
            String password = readOrCreatePassword(passwordFile);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(EmbeddedDatabase::firstBinaries)
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(runtime.toFile())
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // Its own log files (log/ in the cluster, one per weekday, overwritten a week later): without
                    // them the postmaster's output ends with pg_ctl's, and a checkpoint or an autovacuum behind a
                    // slow commit leaves no trace. The line prefix is PostgreSQL's default, "%m [%p] ".
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", "log")
                    .setServerConfig("log_filename", "postgresql-%a.log")
                    .setServerConfig("log_rotation_age", "1d")
                    .setServerConfig("log_rotation_size", "0")
                    .setServerConfig("log_truncate_on_rotation", "on")
                    .setServerConfig("log_checkpoints", "on")
                    .setServerConfig("log_autovacuum_min_duration", "1s")
                    // Sized for ingestion (issue 13's half-load p99). With the defaults (1 GB), the ingest
                    // benchmark's batch steps checkpointed every 10-25 s ("checkpoints are occurring too
                    // frequently"); each checkpoint makes the next change of every page log a full 8 KiB image,
                    // and the primary key's random UUIDs touch a new page with nearly every event.
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("min_wal_size", "1GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("checkpoint_completion_target", "0.9")
                    // The half-load p99 (issue 13) was set by two stalls that no checkpoint, autovacuum or GC
                    // explained. (1) Every ~2 s, 50-110 ms: a fresh cluster has no recycled WAL segments, so each
                    // 16 MB segment switch zero-filled and fsynced a new file while commits waited; without the
                    // zero-fill the stalls went (p99 93 -> 28 ms at 64 connections). (2) Every 30 s, 80-165 ms:
                    // the kernel wrote back the table files' dirty pages in one 200-500 MB burst (inode expiry,
                    // dirty_expire_centisecs) and WAL fsyncs queued behind it. Asking the kernel to write a
                    // backend's evicted pages after every 256 kB keeps the page cache's dirty set small and steady.
                    .setServerConfig("wal_init_zero", "off")
                    .setServerConfig("backend_flush_after", "256kB")
                    // What was left of the half-load tail came with autovacuum of the current partition (9 s) and of
                    // event_keys on 2 cores. At 10 ms instead of 2 ms between its rounds of work (PostgreSQL's default
                    // was 20 ms before 12), the same vacuum runs 13-46 s at a fifth of the rate: three runs then gave a
                    // half-rate p99 of 24.6, 14.4 and 13.1 ms, against 18.7, 34.9 and 28.4 ms just before.
                    .setServerConfig("autovacuum_vacuum_cost_delay", "10ms")
                    // appended after zonky's own "-A trust", so these win when initdb creates a new cluster
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setConnectConfig("password", password);
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            ownerOnlyWrites(runtime);
            requirePassword(postgres, cluster, password);
            log.info("Embedded PostgreSQL is running on 127.0.0.1:{} with its data in {}", postgres.getPort(), cluster);
            return new EmbeddedDatabase(postgres, password);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The embedded PostgreSQL did not start (data directory " + cluster + "): "
                    + e.getMessage() + rootHint(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    /**
     * zonky unpacks the PostgreSQL binaries world-writable; anyone able to replace them would run code as this
     * user. Group and others lose write permission on everything below {@code dir} (links are left alone).
     */
    private static void ownerOnlyWrites(Path dir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix") || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (perms.remove(PosixFilePermission.GROUP_WRITE) | perms.remove(PosixFilePermission.OTHERS_WRITE)) {
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        }
    }

    private static String readOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, password + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    /**
     * A cluster created before passwords were used still trusts everyone: give the superuser the password,
     * then switch every connection to scram-sha-256 and reload. Idempotent; a no-op on a cluster made here.
     */
    private static void requirePassword(EmbeddedPostgres postgres, Path cluster, String password) throws IOException {
        Path hba = cluster.resolve("pg_hba.conf");
        if (Files.readString(hba, StandardCharsets.UTF_8).equals(HBA)) {
            return;
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            // The password is base64url from SecureRandom: no quote can occur in it.
            s.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
            Files.writeString(hba, HBA, StandardCharsets.UTF_8);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("could not require a password on the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * After a crash of the JVM (kill -9) the postmaster keeps running, holding the data directory and its
     * port; a fresh start would fail. Ask it to shut down fast (SIGINT) and wait for it.
     */
    private static void stopOrphanedServer(Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        log.warn("A PostgreSQL server left behind by an earlier run (pid {}) still holds {}; stopping it", pid, cluster);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
            process.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.get().destroyForcibly();
            log.warn("The old PostgreSQL server did not stop in time and was killed; it will recover on start");
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * zonky refuses to start when its binaries archive is on the class path twice, which happens on a class path
     * that holds both the Maven dependency and the server jar's manifest {@code Class-Path} (the benchmarks' tests
     * in a full {@code mvn verify}). The copies are the same artifact, so take the first; anything else is left to
     * zonky's own resolver.
     */
    private static InputStream firstBinaries(String system, String hardware) throws IOException {
        String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-"
                + hardware.toLowerCase(Locale.ROOT) + ".txz";
        URL url = EmbeddedDatabase.class.getClassLoader().getResource(name);
        return url != null ? url.openStream() : DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, hardware);
    }

    private static void checkRootCanUseUserNamespaces() {
        if (!isRoot() || !System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return;
        }
        boolean works;
        try {
            Process p = new ProcessBuilder("unshare", "-U", "true").redirectErrorStream(true).start();
            works = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            works = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            works = false;
        }
        if (!works) {
            throw new IllegalStateException("The embedded PostgreSQL cannot run as root here: PostgreSQL refuses to run"
                    + " as root, and this system refused the user namespace (`unshare -U`) that would hide root from it."
                    + " Fix: run Sightline as a normal (non-root) user, or set SIGHTLINE_DATABASE_URL (with"
                    + " SIGHTLINE_DATABASE_USER and SIGHTLINE_DATABASE_PASSWORD) to use an existing PostgreSQL.");
        }
    }

    private static String rootHint() {
        return isRoot() ? " (running as root: if PostgreSQL says it cannot be run as root, run Sightline as a normal"
                + " user or set SIGHTLINE_DATABASE_URL to an existing PostgreSQL)" : "";
    }
}
