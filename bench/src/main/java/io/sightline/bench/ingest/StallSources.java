package io.sightline.bench.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What else happened while a latency step ran, so a high p99 can be put down to its cause instead of guessed:
 * PostgreSQL's checkpoints and autovacuum runs (from the cluster's own log files, {@code log/} under its data
 * directory) and the server JVM's G1 pauses (from its {@code -Xlog:gc} file). Read after the step, from the
 * files, so that watching costs the measured processes nothing.
 */
final class StallSources {
    /** PostgreSQL's log line prefix is {@code %m [%p] }: "2026-12-04 17:42:37.257 UTC [2252] LOG:  …". */
    private static final Pattern PG_LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) UTC \\[\\d+\\] LOG:  (.*)$");
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    /** {@code -Xlog:gc:file=…:utctime}: "[2026-12-04T17:42:40.123+0000] GC(12) Pause Young (Normal) (…) 120M->30M(256M) 8.123ms". */
    private static final Pattern GC_PAUSE = Pattern.compile("^\\[([^\\]]+)\\] GC\\(\\d+\\) (Pause [^(]+(?:\\([^)]*\\) ?)*).* ([0-9.]+)ms$");
    private static final DateTimeFormatter GC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT);

    private final Path postgresLogDir;
    private final Path gcLog;

    StallSources(Path postgresLogDir, Path gcLog) {
        this.postgresLogDir = postgresLogDir;
        this.gcLog = gcLog;
    }

    /** The JVM option that makes the server write the G1 pauses this reads. */
    static String gcLogOption(Path gcLog) {
        return "-Xlog:gc:file=" + gcLog + ":utctime";
    }

    /** One line that says what happened between {@code from} and {@code to}. */
    String during(Instant from, Instant to) {
        List<String> checkpoints = new ArrayList<>();
        List<String> vacuums = new ArrayList<>();
        for (String[] line : postgresLines()) {
            Instant at = Instant.parse(line[0]);
            if (at.isBefore(from) || !at.isBefore(to)) {
                continue;
            }
            String message = line[1];
            String offset = String.format(Locale.ROOT, "+%.1fs", (at.toEpochMilli() - from.toEpochMilli()) / 1000.0);
            if (message.startsWith("checkpoint starting:")) {
                checkpoints.add(offset + " start (" + message.substring("checkpoint starting:".length()).trim() + ")");
            } else if (message.startsWith("checkpoint complete:")) {
                checkpoints.add(offset + " end (" + field(message, "write=[0-9.]+ s, sync=[0-9.]+ s") + ")");
            } else if (message.startsWith("automatic vacuum") || message.startsWith("automatic analyze")) {
                vacuums.add(offset + " " + message.replaceAll(":.*", "").replace("automatic ", "").replace("postgres.public.", "")
                        + " (" + field(message, "elapsed: [0-9.]+ s") + ")");
            }
        }
        int pauses = 0;
        double pauseMax = 0;
        double pauseSum = 0;
        for (double ms : gcPauses(from, to)) {
            pauses++;
            pauseMax = Math.max(pauseMax, ms);
            pauseSum += ms;
        }
        return String.format(Locale.ROOT, "G1: %d pauses, max %.1f ms, total %.0f ms; checkpoints: %s; autovacuum: %s",
                pauses, pauseMax, pauseSum, checkpoints.isEmpty() ? "none" : String.join(", ", checkpoints),
                vacuums.isEmpty() ? "none" : String.join(", ", vacuums));
    }

    private static String field(String message, String regex) {
        Matcher m = Pattern.compile(regex).matcher(message);
        return m.find() ? m.group() : "?";
    }

    /** [ISO instant, message] of every log line of the cluster's log files. */
    private List<String[]> postgresLines() {
        List<String[]> out = new ArrayList<>();
        if (!Files.isDirectory(postgresLogDir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(postgresLogDir)) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Matcher m = PG_LINE.matcher(line);
                    if (m.matches()) {
                        Instant at = LocalDateTime.parse(m.group(1), PG_TIME).toInstant(ZoneOffset.UTC);
                        out.add(new String[]{at.toString(), m.group(2)});
                    } else if (!out.isEmpty() && line.startsWith("\t")) {
                        // an autovacuum report goes on over tab-indented lines; its elapsed time is on the last
                        String[] last = out.get(out.size() - 1);
                        last[1] = last[1] + " " + line.trim();
                    }
                }
            }
        } catch (IOException | DateTimeParseException e) {
            System.out.println("    (PostgreSQL's log could not be read: " + e.getMessage() + ")");
        }
        return out;
    }

    private List<Double> gcPauses(Instant from, Instant to) {
        List<Double> out = new ArrayList<>();
        if (!Files.exists(gcLog)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                Matcher m = GC_PAUSE.matcher(line);
                if (m.matches()) {
                    Instant at = java.time.OffsetDateTime.parse(m.group(1), GC_TIME).toInstant();
                    if (!at.isBefore(from) && at.isBefore(to)) {
                        out.add(Double.parseDouble(m.group(3)));
                    }
                }
            }
        } catch (IOException | DateTimeParseException e) {
            System.out.println("    (the GC log could not be read: " + e.getMessage() + ")");
        }
        return out;
    }
}
