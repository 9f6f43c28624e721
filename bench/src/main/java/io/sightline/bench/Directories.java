package io.sightline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-system chores of the benchmarks, which leave PostgreSQL clusters of a few GB behind them. */
public final class Directories {
    private Directories() {
    }

    /** Deletes {@code root} and everything under it; nothing happens if it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Deletes the cluster and the PostgreSQL binaries of a run made with {@code EmbeddedDatabase.start(dir, ...)},
     * keeping its logs ({@code postgres-log/}).
     */
    public static void keepLogsOnly(Path dir) throws IOException {
        Path postgresLog = dir.resolve("postgres").resolve("log");
        if (Files.isDirectory(postgresLog)) {
            deleteTree(dir.resolve("postgres-log"));
            Files.move(postgresLog, dir.resolve("postgres-log"));
        }
        deleteTree(dir.resolve("postgres"));
        deleteTree(dir.resolve("pg-runtime"));
    }
}
