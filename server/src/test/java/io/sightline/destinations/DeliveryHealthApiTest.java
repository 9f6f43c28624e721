package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.sightline.destinations.Forwarding.admin;
import static io.sightline.destinations.Forwarding.await;
import static io.sightline.destinations.Forwarding.conversion;
import static io.sightline.destinations.Forwarding.newId;
import static io.sightline.destinations.Forwarding.track;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code destinations/health}: the counts agree with what the platform answered, and what waits (in the outbox
 * while a request is in flight, then as a pending retry) is counted for the destination that wants it, with its lag.
 */
class DeliveryHealthApiTest {
    private static final String HEALTH = "/api/v1/apps/1/destinations/health";
    private static PlatformStub meta;
    private static TestServer server;
    /** What the platform answered, per event id: 200, 400 (refused) or 500 (transient). */
    private static final Map<String, Integer> answered = new ConcurrentHashMap<>();
    private static final Set<String> refuse = ConcurrentHashMap.newKeySet();
    private static volatile boolean failing;

    @BeforeAll
    static void start() throws Exception {
        Forwarding.captureLog();
        PlatformStub.Answer accept = PlatformStub.meta(Forwarding.SECRETS);
        meta = new PlatformStub((hit, n) -> {
            // One event per request here (each is sent after the previous one was answered).
            List<String> ids = hit.eventIds();
            int status = failing ? 500 : ids.stream().anyMatch(refuse::contains) ? 400 : 200;
            ids.forEach(id -> answered.put(id, status));
            if (status == 500) {
                return PlatformStub.Reply.json(500, "{\"error\": {\"message\": \"An unknown error occurred\","
                        + " \"type\": \"OAuthException\", \"code\": 1, \"is_transient\": true, \"fbtrace_id\": \"H1\"}}");
            }
            return status == 400 ? PlatformStub.metaError(400, "Invalid parameter", 100, "refused by the test")
                    : accept.answer(hit, n);
        });
        // A retry waits ten minutes or more: the transient failure below stays pending while the test looks.
        server = TestServer.startForwarding(Forwarding.env(meta, "SIGHTLINE_FORWARD_BACKOFF", "10m"),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
        meta.close();
        Forwarding.assertNoSecret(Forwarding.log());
    }

    @Test
    void counts_what_the_platform_accepted_and_refused_and_what_waits_with_its_lag() throws Exception {
        long wanting = Forwarding.meta(server, null).id();
        long other = Forwarding.create(server, "{\"type\":\"meta\",\"name\":\"Meta signups\",\"config\":{\"pixel_id\":\""
                + Forwarding.PIXEL + "\",\"access_token\":\"" + Forwarding.secret("EAAG")
                + "\"},\"events\":[{\"match\":\"custom:signup\",\"name\":\"Lead\"}]}");
        JsonNode before = destination(health(7), wanting);
        assertThat(before.get("pending").asLong()).isZero();
        assertThat(before.get("lag_seconds").asLong()).isZero();
        assertThat(before.get("oldest_pending_at").isNull()).isTrue();

        for (int i = 0; i < 5; i++) {
            String id = newId();
            if (i % 2 == 1) {
                refuse.add(id);
            }
            track(server, conversion(id, 10.0 + i, true, "v-health-" + i));
            await(Duration.ofSeconds(10), "the platform answered " + id, () -> answered.containsKey(id));
        }
        await(Duration.ofSeconds(10), "the outcomes recorded", () -> {
            JsonNode d = destination(health(7), wanting);
            return d.get("delivered").asLong() + d.get("dead").asLong() == 5;
        });

        // A request in flight: its event is still in the outbox, waiting for this destination only.
        failing = true;
        meta.hold();
        String waiting = newId();
        Instant sent = Instant.now();
        track(server, conversion(waiting, 99.0, true, "v-health-wait"));
        await(Duration.ofSeconds(10), "the request reached the platform", () -> meta.held() == 1);
        Thread.sleep(1_200);
        JsonNode inFlight = health(7);
        JsonNode held = destination(inFlight, wanting);
        assertThat(held.get("pending").asLong()).isEqualTo(1);
        assertThat(held.get("lag_seconds").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(Instant.parse(held.get("oldest_pending_at").asText())).isBetween(sent.minusSeconds(1), Instant.now());
        assertThat(destination(inFlight, other).get("pending").asLong()).isZero();
        assertThat(destination(inFlight, other).get("lag_seconds").asLong()).isZero();

        // The platform fails transiently: the event now waits as a pending retry, ten minutes away.
        meta.release();
        String deliveries = "/api/v1/apps/1/destinations/" + wanting + "/deliveries?status=pending";
        await(Duration.ofSeconds(10), "a pending retry", () -> list(deliveries).size() == 1);
        JsonNode d = destination(health(7), wanting);
        long accepted = answered.values().stream().filter(s -> s == 200).count();
        long refused = answered.values().stream().filter(s -> s == 400).count();
        assertThat(accepted).isEqualTo(3);
        assertThat(refused).isEqualTo(2);
        assertThat(meta.accepted()).hasSize(3);
        assertThat(d.get("delivered").asLong()).isEqualTo(accepted);
        assertThat(d.get("failed").asLong()).isEqualTo(refused);
        assertThat(d.get("dead").asLong()).isEqualTo(refused);
        assertThat(d.get("retried").asLong()).isEqualTo(1);
        assertThat(d.get("expired").asLong()).isZero();
        assertThat(d.get("skipped").asLong()).isZero();
        assertThat(d.get("pending").asLong()).isEqualTo(1);
        assertThat(d.get("lag_seconds").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(list(deliveries).get(0).get("event_id").asText()).isEqualTo(waiting);
        assertThat(d.get("type").asText()).isEqualTo("meta");
        assertThat(d.get("name").asText()).isEqualTo("Meta");
        assertThat(d.get("enabled").asBoolean()).isTrue();
        JsonNode quiet = destination(health(1), other);
        for (String count : List.of("delivered", "retried", "failed", "dead", "expired", "skipped", "pending",
                "lag_seconds")) {
            assertThat(quiet.get(count).asLong()).as(count).isZero();
        }
        assertThat(health(90).get("days").asInt()).isEqualTo(90);
        assertThat(admin(server, "GET", HEALTH, null, 200).get("days").asInt()).isEqualTo(7);
    }

    @Test
    void an_unknown_app_is_not_found_and_days_outside_1_to_90_are_refused_naming_days() throws Exception {
        admin(server, "GET", "/api/v1/apps/99999/destinations/health", null, 404);
        for (String days : List.of("0", "91", "-1", "seven", "")) {
            assertThat(admin(server, "GET", HEALTH + "?days=" + days, null, 400).at("/error/field").asText())
                    .as(days).isEqualTo("days");
        }
        assertThat(server.get(HEALTH, Map.of()).statusCode()).isEqualTo(401);
    }

    private static JsonNode health(int days) {
        try {
            return admin(server, "GET", HEALTH + "?days=" + days, null, 200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode destination(JsonNode health, long id) {
        for (JsonNode d : health.get("destinations")) {
            if (d.get("id").asLong() == id) {
                return d;
            }
        }
        throw new AssertionError("destination " + id + " missing from " + health);
    }

    private static JsonNode list(String pathAndQuery) {
        try {
            return admin(server, "GET", pathAndQuery, null, 200).get("deliveries");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
