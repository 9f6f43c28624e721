package io.sightline.sdk;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's process is killed while its queue is being sent, one batch stored by the server but not yet
 * acknowledged: a second process on the same storage folder sends the rest, and the server holds every event
 * exactly once.
 */
class KillRestartTest {
    private static final int EVENTS = 500;
    private TestServer server;

    @TempDir
    File storage;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_process_killed_mid_queue_loses_nothing_and_its_successor_doubles_nothing() throws Exception {
        List<List<String>> resent;
        List<String> unacknowledged;
        // The first requests are answered; the next is stored by the server but its answer never comes. (Two, since
        // a server that reads no gzip answers the first with 400 and gets it again as plain JSON.)
        try (TestProxy slow = new TestProxy(server.uri(""),
                n -> n < 2 ? TestProxy.Action.FORWARD : TestProxy.Action.FORWARD_THEN_HOLD)) {
            Process app = child("queue", slow, String.valueOf(EVENTS));
            BlockingQueue<String> lines = output(app);
            assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("WRITTEN");
            waitFor(() -> !slow.heldAfterStoring().isEmpty(), "a batch stored by the server and held unanswered");
            app.destroyForcibly();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
            unacknowledged = slow.heldAfterStoring().get(0);
        }
        int storedBeforeRestart = ServerEvents.all(server).size();
        assertThat(storedBeforeRestart).as("the kill came mid-queue").isLessThan(EVENTS).isPositive();

        try (TestProxy passThrough = new TestProxy(server.uri(""), n -> TestProxy.Action.FORWARD)) {
            Process successor = child("drain", passThrough);
            BlockingQueue<String> lines = output(successor);
            assertThat(successor.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(successor.exitValue()).isZero();
            assertThat(List.of(lines.poll(1, TimeUnit.SECONDS), lines.poll(1, TimeUnit.SECONDS)))
                    .contains("EMPTY true");
            resent = passThrough.requests();
        }

        List<Map<String, Object>> rows = ServerEvents.all(server);
        assertThat(rows).hasSize(EVENTS);
        assertThat(rows.stream().map(r -> Integer.parseInt((String) r.get("seq"))).collect(Collectors.toSet()))
                .isEqualTo(IntStream.range(0, EVENTS).boxed().collect(Collectors.toSet()));
        Set<String> storedIds = rows.stream().map(r -> (String) r.get("event_id")).collect(Collectors.toSet());
        assertThat(storedIds).hasSize(EVENTS);
        Set<String> resentIds = resent.stream().flatMap(List::stream).collect(Collectors.toSet());
        assertThat(resentIds).as("the stored but unacknowledged batch was sent again, with the same ids")
                .containsAll(unacknowledged);
        assertThat(resentIds.size() + storedBeforeRestart - unacknowledged.size()).isEqualTo(EVENTS);
        assertThat(storedIds).containsAll(new HashSet<>(unacknowledged));
    }

    private Process child(String mode, TestProxy proxy, String... more) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("sdk.test.classpath", System.getProperty("java.class.path")),
                QueueingChild.class.getName(), mode, storage.getAbsolutePath(), proxy.uri().toString(),
                server.writeKey()));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The child's output lines, read on a thread of their own so that the child never blocks on a full pipe. */
    private static BlockingQueue<String> output(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[child] " + line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
