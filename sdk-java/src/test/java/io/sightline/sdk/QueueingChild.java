package io.sightline.sdk;

import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The app process of {@link KillRestartTest}, started in its own JVM.
 * <ul>
 *   <li>{@code queue DIR URI KEY N}: queues N custom events {@code kill_test} with {@code seq} 0..N-1, prints
 *       {@code WRITTEN} once all are on disk, and keeps sending until it is killed.</li>
 *   <li>{@code drain DIR URI KEY}: sends what the folder holds, prints {@code SENT n} and {@code EMPTY true|false}.</li>
 * </ul>
 */
public final class QueueingChild {
    private QueueingChild() {
    }

    public static void main(String[] args) throws Exception {
        File dir = new File(args[1]);
        SightlineBuilder builder = Sightline.builder(args[3], URI.create(args[2])).storage(dir).maxBatch(25)
                .flushInterval(Duration.ofMillis(20)).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(120));
        if (args[0].equals("queue")) {
            int n = Integer.parseInt(args[4]);
            Sightline sdk = builder.build();
            for (int i = 0; i < n; i++) {
                sdk.custom("kill_test", Map.of("seq", i));
                if (i % 50 == 49) {
                    Thread.sleep(5); // let the sender start on the first batches while events are still coming
                }
            }
            System.out.println(sdk.awaitWritten(Duration.ofSeconds(30)) ? "WRITTEN" : "NOT_WRITTEN");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // the test kills this process
        } else {
            try (Sightline sdk = builder.build()) {
                boolean empty = sdk.flush(Duration.ofSeconds(60));
                System.out.println("SENT " + sdk.sentEvents());
                System.out.println("EMPTY " + empty);
            }
        }
    }
}
