package io.sightline.sdk;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a tracking call costs the caller's thread. A tight loop would only measure a full memory queue (a phone
 * sends a few events a second, not millions), so before each call about 10 µs of CPU work is done outside the
 * measured time, as an app does other work between events, and the writer thread meanwhile keeps up writing to a
 * real disk queue. Each call is timed on its own ({@code Level.Invocation}), so the numbers include the timer's
 * own few tens of nanoseconds: {@code empty} measures that. The server is unreachable, so the sender only backs
 * off. Run with {@code bash sdk-java/caller-benchmark.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallerCostBenchmark {
    /** About 10 µs of work between two events. */
    private static final long PACE_TOKENS = 4_000;
    private static final Map<String, Object> PROPS = Map.of("color", "walnut", "tone", 3, "price", 349.0);

    private File dir;
    private Sightline sdk;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("sightline-bench").toFile();
        sdk = Sightline.builder("wk_bench", URI.create("http://127.0.0.1:9")).storage(dir)
                .maxQueueBytes(64L * 1024 * 1024).retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60))
                .closeTimeout(Duration.ofMillis(100)).build();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        System.out.println("\nqueued " + sdk.queuedEvents() + ", dropped " + sdk.droppedEvents());
        sdk.close();
        try (var files = Files.walk(dir.toPath())) {
            files.sorted(Comparator.reverseOrder()).map(java.nio.file.Path::toFile).forEach(File::delete);
        }
    }

    /** The app's other work between two events: not measured. */
    @Setup(Level.Invocation)
    public void pace() {
        Blackhole.consumeCPU(PACE_TOKENS);
    }

    @Benchmark
    public void empty() {
        // the cost of timing one invocation
    }

    @Benchmark
    public void interaction() {
        sdk.interaction("armchair-oak", InteractionKind.ROTATE, 90);
    }

    @Benchmark
    public void custom() {
        sdk.custom("color_changed", PROPS);
    }
}
