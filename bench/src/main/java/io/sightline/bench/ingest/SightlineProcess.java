package io.sightline.bench.ingest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real Sightline server ({@code io.sightline.Main}) in its own JVM, configured like a user would. */
public final class SightlineProcess implements AutoCloseable {
    private static final Pattern WRITE_KEY = Pattern.compile("write key:\\s+(\\S+)");
    private static final Pattern ADMIN_TOKEN = Pattern.compile("admin token:\\s+(\\S+)");
    private static final Pattern APP_ID = Pattern.compile("app:.*\\(id (\\d+)\\)");

    private final Process process;
    private final int port;
    private final Path log;

    private SightlineProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static SightlineProcess start(String jdbcUrl, String password, List<String> jvmOptions, Path log) throws Exception {
        return start(jdbcUrl, password, jvmOptions, java.util.Map.of(), log);
    }

    /**
     * The JVM options the README starts the server with, at heap {@code heap} ("256m"). G1 starts marking the old
     * generation at a fixed 75 % instead of its adaptive threshold: Yauaa's ~115 MB of parser tables stay live
     * for the process's life, and with the adaptive threshold a 256 MB heap ran a concurrent cycle every few young
     * collections (12 in six 1-second funnel requests). Measured with the enrichment benchmark, full enrichment,
     * 1 % new User-Agents: /track 10,125 events/s with G1's defaults, 13,105 with these. Class unloading stays out of
     * the marking cycles (the server keeps the classes it loads): it made their Remark pauses 11-17 ms at the median
     * and up to 49 ms in three runs of the ingestion benchmark, against 1.5-2 ms (at most 6 ms) in three without it.
     */
    public static List<String> readmeJvm(String heap) {
        return List.of("-Xmx" + heap, "-XX:-G1UseAdaptiveIHOP", "-XX:InitiatingHeapOccupancyPercent=75",
                "-XX:-ClassUnloadingWithConcurrentMark");
    }

    /** {@code env} adds server settings (SIGHTLINE_…) to the process environment. */
    public static SightlineProcess start(String jdbcUrl, String password, List<String> jvmOptions,
                                  java.util.Map<String, String> env, Path log) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sightline.Main"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SIGHTLINE_HTTP_HOST", "127.0.0.1");
        builder.environment().put("SIGHTLINE_HTTP_PORT", Integer.toString(port));
        builder.environment().put("SIGHTLINE_DATABASE_URL", jdbcUrl);
        builder.environment().put("SIGHTLINE_DATABASE_USER", "postgres");
        builder.environment().put("SIGHTLINE_DATABASE_PASSWORD", password);
        builder.environment().putAll(env);
        SightlineProcess server = new SightlineProcess(builder.start(), port, log);
        server.awaitReady();
        return server;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    public String writeKey() throws IOException {
        return printed(WRITE_KEY, "write key");
    }

    /** The admin token the server printed at its first start. */
    public String adminToken() throws IOException {
        return printed(ADMIN_TOKEN, "admin token");
    }

    /** The id of the app the server created at its first start (the one {@link #writeKey()} belongs to). */
    public long appId() throws IOException {
        return Long.parseLong(printed(APP_ID, "app id"));
    }

    private String printed(Pattern pattern, String what) throws IOException {
        Matcher m = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("the server printed no " + what + "; see " + log);
        }
        return m.group(1);
    }

    /**
     * The value of one sample in the server's Prometheus {@code /metrics} (read with the admin token it printed at
     * its first start), or NaN if it has no such line.
     */
    public double metric(String sample) throws IOException, InterruptedException {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    /** The server's whole Prometheus text, read with the admin token it printed at its first start. */
    public String metrics() throws IOException, InterruptedException {
        return metrics(adminToken());
    }

    /** The whole Prometheus text, read with {@code adminToken}: a restarted server prints no token again. */
    public String metrics(String adminToken) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Resident set size now and its peak so far, in MiB, from /proc (Linux). */
    public long[] rssMiB() {
        long rss = 0;
        long peak = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line) / 1024;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kib(line) / 1024;
                }
            }
        } catch (IOException e) {
            return new long[]{-1, -1};
        }
        return new long[]{rss, peak};
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < giveUpAt) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server was not ready in 90 s; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
