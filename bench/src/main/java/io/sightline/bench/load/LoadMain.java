package io.sightline.bench.load;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures the HTTP layer's ceiling on this machine: starts {@code HelloServer} in its own JVM, drives
 * {@code POST /hello} with single-event bodies (each with its own {@code event_id}) and prints throughput,
 * latency, and the CPU the generator and the server each used.
 *
 * <pre>LoadMain [--connections=16,64,128] [--seconds=10] [--warmup=3] [--io-threads=1] [--rate=R]</pre>
 * Without {@code --rate} every step is closed loop; with it, fixed rate at R requests/s.
 */
public final class LoadMain {
    static final String EVENT = "{\"event_id\":\"${uuid}\",\"type\":\"interaction\",\"session_id\":\"bench-session\","
            + "\"properties\":{\"object_id\":\"chair-3\",\"kind\":\"rotate\",\"value\":42.5}}";

    record Options(List<Integer> connections, Duration measured, Duration warmUp, int ioThreads, double rate) {

        static Options parse(String[] args) {
            List<Integer> connections = List.of(16, 64, 128);
            Duration measured = Duration.ofSeconds(10);
            Duration warmUp = Duration.ofSeconds(3);
            int ioThreads = 1;
            double rate = 0;
            for (String arg : args) {
                String[] pair = arg.split("=", 2);
                String value = pair.length == 2 ? pair[1] : "";
                try {
                    switch (pair[0]) {
                        case "--connections" -> connections = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                        case "--seconds" -> measured = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
                        case "--warmup" -> warmUp = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
                        case "--io-threads" -> ioThreads = Integer.parseInt(value);
                        case "--rate" -> rate = Double.parseDouble(value);
                        default -> throw new IllegalArgumentException(pair[0] + ": unknown option");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(pair[0] + ": not a number: '" + value + "'");
                }
            }
            return new Options(connections, measured, warmUp, ioThreads, rate);
        }

        LoadPlan plan(int connectionCount) {
            LoadMode mode = rate > 0 ? LoadMode.fixedRate(rate) : LoadMode.closedLoop();
            return new LoadPlan(mode, connectionCount, ioThreads, warmUp, measured);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        List<LoadPlan> plans = options.connections().stream().map(options::plan).toList(); // validate before starting anything
        try (ServerProcess server = ServerProcess.start("io.sightline.bench.hello.HelloServer", List.of())) {
            LoadTarget target = LoadTarget.loopback(server.port());
            RequestSource events = new UuidRequestSource(target, RequestTemplate.postJson("/hello", Map.of(), EVENT));
            LoadEngine engine = new LoadEngine(target, events);
            System.out.printf(Locale.ROOT, "HelloServer on 127.0.0.1:%d, %d cores%n", server.port(), Runtime.getRuntime().availableProcessors());
            // Both JVMs are cold: one discarded closed-loop run lets the JITs finish before anything is measured.
            engine.run(LoadPlan.closedLoop(64, Duration.ZERO, options.warmUp()).withIoThreads(options.ioThreads()));
            for (LoadPlan plan : plans) {
                CompletableFuture<CpuSample> atMeasureStart = CompletableFuture.supplyAsync(() -> CpuSample.take(server),
                        CompletableFuture.delayedExecutor(plan.warmUp().toNanos(), TimeUnit.NANOSECONDS));
                LoadReport report = engine.run(plan);
                CpuSample atEnd = CpuSample.take(server);
                System.out.println(report.summary());
                System.out.println(atMeasureStart.get().coresUntil(atEnd));
            }
        }
    }

    /** CPU used so far by this whole JVM (generator, JIT, GC) and by the server process. */
    record CpuSample(long atNanos, long generatorJvmNanos, long serverNanos) {

        static CpuSample take(ServerProcess server) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new CpuSample(System.nanoTime(), os.getProcessCpuTime(), server.cpu().toNanos());
        }

        String coresUntil(CpuSample end) {
            double wall = end.atNanos - atNanos;
            return String.format(Locale.ROOT, "  cores used: generator JVM %.3f (GC and JIT included), server JVM %.3f",
                    (end.generatorJvmNanos - generatorJvmNanos) / wall, (end.serverNanos - serverNanos) / wall);
        }
    }
}
