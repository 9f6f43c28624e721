package io.sightline.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate operating-system process (the real {@code io.sightline.Main}, this JVM's class
 * path), so a test can kill it with SIGKILL or stop it with SIGTERM. Its output goes to a log file.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern WRITE_KEY = Pattern.compile("write key:\\s+(\\S+)");
    private static final Pattern ADMIN_TOKEN = Pattern.compile("admin token:\\s+(\\S+)");

    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private final List<String> jvmOptions;
    private Process process;

    public ServerProcess(Map<String, String> env, Path log) {
        this(env, log, List.of());
    }

    /** {@code jvmOptions} go before the main class, e.g. a log level for slf4j-simple. */
    public ServerProcess(Map<String, String> env, Path log, List<String> jvmOptions) {
        this.env = env;
        this.port = freePort();
        this.log = log;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts the process and waits until /health/ready answers 200. */
    public ServerProcess start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.sightline.Main");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Unless the test says otherwise, no secret.key is written into the working directory.
        builder.environment().put("SIGHTLINE_SECRET_KEY", TestServer.TEST_SECRET_KEY);
        builder.environment().putAll(env);
        builder.environment().put("SIGHTLINE_HTTP_HOST", "127.0.0.1");
        builder.environment().put("SIGHTLINE_HTTP_PORT", Integer.toString(port));
        process = builder.start();
        awaitReady(Duration.ofSeconds(90));
        return this;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the server did not exit within " + timeout + " after SIGTERM");
        }
        return process.exitValue();
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** The credentials printed on the first start. */
    public String writeKey() throws IOException {
        return find(WRITE_KEY);
    }

    public String adminToken() throws IOException {
        return find(ADMIN_TOKEN);
    }

    private String find(Pattern pattern) throws IOException {
        Matcher m = pattern.matcher(output());
        if (!m.find()) {
            throw new IllegalStateException("the server printed no " + pattern + "; output:\n" + output());
        }
        return m.group(1);
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(uri("/health/ready"))
                        .timeout(Duration.ofSeconds(2)).GET().build());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server was not ready within " + timeout + ":\n" + output());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            kill();
        }
    }
}
