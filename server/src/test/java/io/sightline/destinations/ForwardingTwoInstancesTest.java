package io.sightline.destinations;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sightline.destinations.Forwarding.await;
import static io.sightline.destinations.Forwarding.conversion;
import static io.sightline.destinations.Forwarding.newId;
import static io.sightline.destinations.Forwarding.track;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server instances on one database, both forwarding: their claims ({@code FOR UPDATE SKIP LOCKED}) share the
 * work, so a slow platform that fails now and then never has one event in two requests at the same moment, and
 * every event arrives.
 */
class ForwardingTwoInstancesTest {
    @Test
    void two_instances_never_send_one_event_twice_at_once_and_deliver_all() throws Exception {
        Forwarding.captureLog();
        PlatformStub.Answer accept = PlatformStub.meta(Forwarding.SECRETS);
        AtomicInteger failures = new AtomicInteger();
        try (PlatformStub meta = new PlatformStub((hit, n) -> {
            try {
                Thread.sleep(150); // slow enough for both instances' passes to overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (n % 3 == 0) {
                failures.incrementAndGet();
                return PlatformStub.Reply.json(503, "{\"error\": {\"message\": \"Service temporarily unavailable\","
                        + " \"type\": \"OAuthException\", \"code\": 2, \"is_transient\": true, \"fbtrace_id\": \"B\"}}");
            }
            return accept.answer(hit, n);
        });
             TestServer first = TestServer.startForwarding(Forwarding.env(meta, "SIGHTLINE_FORWARD_BACKOFF", "20ms"),
                     Clock.systemUTC());
             TestServer second = TestServer.join(first, Forwarding.env(meta, "SIGHTLINE_FORWARD_BACKOFF", "20ms"),
                     Clock.systemUTC())) {
            Forwarding.meta(first, null);
            List<String> sent = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                sent.add(track(i % 2 == 0 ? first : second, conversion(newId(), 1.0 + i, true, "v-two" + i)));
                Thread.sleep(20);
            }
            await(Duration.ofSeconds(60), "every event delivered", () -> meta.accepted().keySet().containsAll(sent));
            Thread.sleep(1000); // re-sends still to come would show in the counts below
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            System.out.printf("two instances: %d events, %d requests (%d answered 503),"
                    + " %d copies accepted again, at most %d open requests per event, %d s%n", sent.size(),
                    meta.hits().size(), failures.get(), meta.duplicates(), meta.maxOpenPerEvent(), seconds);
            assertThat(failures.get()).as("the platform failed some requests").isPositive();
            assertThat(delivered(first)).as("deliveries the first instance made").isPositive();
            assertThat(delivered(second)).as("deliveries the second instance made").isPositive();
            assertThat(delivered(first) + delivered(second)).isEqualTo(sent.size());
            assertThat(meta.maxOpenPerEvent()).as("requests carrying one event open at one moment").isEqualTo(1);
            for (String id : sent) {
                assertThat(meta.accepted().get(id)).as("copies of " + id + " answered 2xx").isEqualTo(1);
            }
            Forwarding.assertNoSecret(Forwarding.log());
        }
    }

    /** The instance's {@code sightline_forward_deliveries_total{outcome="delivered"}}. */
    private static double delivered(TestServer server) {
        return server.get("/metrics", java.util.Map.of("Authorization", "Bearer " + server.adminToken())).body()
                .lines().filter(l -> l.startsWith("sightline_forward_deliveries_total{")
                        && l.contains("outcome=\"delivered\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
