package io.sightline.bench.ingest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of a process's threads, summed by what they do, from /proc/PID/task/TID/stat (Linux; elsewhere
 * empty). A thread's group is the first of {@link #GROUPS} its name starts with, else "other": so the JIT's
 * compile threads, the GC's and each named pool of the server are told apart.
 */
public final class ThreadCpu {
    /** Thread-name prefix and the group it counts under; the JVM cuts thread names to 15 characters. */
    private static final List<Map.Entry<String, String>> GROUPS = List.of(
            Map.entry("JettyServerThre", "http"),
            Map.entry("ingest-response", "response"),
            Map.entry("user-agent-pars", "ua-parser"),
            Map.entry("event-writer", "writer"),
            Map.entry("C1 CompilerThre", "jit"),
            Map.entry("C2 CompilerThre", "jit"),
            Map.entry("GC Thread", "gc"),
            Map.entry("G1 ", "gc"));
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on every Linux this runs on

    private ThreadCpu() {
    }

    /** Seconds of CPU per group since the process started. */
    public static Map<String, Double> of(long pid) {
        Map<String, Double> seconds = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                // "tid (name) state ...": the name may hold spaces and parentheses, so cut at the last ')'.
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String[] fields = stat.substring(close + 2).split(" ");
                // after the name: state is field 3 of the line, utime 14 and stime 15
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                seconds.merge(group(name), (double) ticks / TICKS_PER_SECOND, Double::sum);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return seconds;
    }

    /** {@code after - before} per group. */
    public static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> difference = new TreeMap<>();
        after.forEach((group, s) -> difference.put(group, s - before.getOrDefault(group, 0.0)));
        return difference;
    }

    private static String group(String threadName) {
        for (Map.Entry<String, String> g : GROUPS) {
            if (threadName.startsWith(g.getKey())) {
                return g.getValue();
            }
        }
        return "other";
    }
}
