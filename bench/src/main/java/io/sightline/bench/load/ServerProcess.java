package io.sightline.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server main class run in its own JVM on this JVM's classpath, so that its JIT, GC and threads are not
 * billed to the generator, and its CPU time can be read separately.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code mainClass <port>} on a free loopback port and waits until it accepts connections. */
    public static ServerProcess start(String mainClass, List<String> jvmOptions) throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("sightline-bench-server-", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, Integer.toString(port)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(process, port, log);
        server.awaitListening();
        return server;
    }

    public int port() {
        return port;
    }

    /** CPU time, user and system, the server process has used so far. */
    public Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log); // kept only when start-up fails, for the message that names it
        } catch (IOException ignored) {
            // a stray log file in the temp directory is harmless
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long giveUpAt = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < giveUpAt) {
            if (!process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue() + ", see " + log);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IOException("server did not listen on port " + port + " within " + START_TIMEOUT + ", see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
