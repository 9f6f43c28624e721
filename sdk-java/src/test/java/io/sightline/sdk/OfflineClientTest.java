package io.sightline.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The client with no server to take its events: the disk bound, and a close that does not hang. */
class OfflineClientTest {
    @TempDir
    File storage;

    @Test
    void past_the_disk_bound_the_oldest_events_are_dropped_and_counted() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String padding = "x".repeat(400);
        try (Sightline sdk = Sightline.builder("wk_test", URI.create("http://127.0.0.1:" + closedPort))
                .storage(storage).maxQueueBytes(256 * 1024).closeTimeout(Duration.ofMillis(100))
                .retryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)).build()) {
            for (int i = 0; i < 3000; i++) {
                sdk.custom("offline", Map.of("seq", i, "padding", padding));
            }
            assertThat(sdk.awaitWritten(Duration.ofSeconds(20))).isTrue();
            assertThat(sdk.droppedEvents()).isPositive();
            assertThat(sdk.droppedEvents() + sdk.queuedEvents()).isEqualTo(3000);
            long onDisk = Arrays.stream(new File(storage, "queue").listFiles((d, n) -> n.endsWith(".seg")))
                    .mapToLong(File::length).sum();
            assertThat(onDisk).isLessThanOrEqualTo(256 * 1024);
        }
    }

    @Test
    void close_waits_no_longer_than_its_timeout_when_the_server_never_answers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    Socket held = silent.accept(); // accepted, read, never answered
                    held.getInputStream().read(new byte[1024]);
                    Thread.sleep(60_000);
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Sightline sdk = Sightline.builder("wk_test", URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                    .storage(storage).closeTimeout(Duration.ofMillis(500)).build();
            sdk.qrScan("poster-1");
            sdk.flush();
            Thread.sleep(100);
            long start = System.nanoTime();
            sdk.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        try (Sightline again = Sightline.builder("wk_test", "http://127.0.0.1:9").storage(storage)
                .closeTimeout(Duration.ofMillis(100)).build()) {
            assertThat(again.queuedEvents()).as("the unanswered event waits for the next client").isEqualTo(1);
        }
    }
}
