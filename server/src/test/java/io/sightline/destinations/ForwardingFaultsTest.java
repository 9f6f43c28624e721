package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sightline.destinations.Forwarding.admin;
import static io.sightline.destinations.Forwarding.await;
import static io.sightline.destinations.Forwarding.conversion;
import static io.sightline.destinations.Forwarding.newId;
import static io.sightline.destinations.Forwarding.track;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A platform that fails: transient errors and a rate limit are retried until every event is accepted once; a
 * permanent refusal becomes a dead letter with the platform's message, which an admin can put back in the queue.
 */
class ForwardingFaultsTest {
    private static final String BASE = "/api/v1/apps/1/destinations/";
    private static PlatformStub meta;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Forwarding.captureLog();
        meta = new PlatformStub(PlatformStub.meta(Forwarding.SECRETS));
        server = TestServer.startForwarding(Forwarding.env(meta, "SIGHTLINE_FORWARD_BACKOFF", "50ms"),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
        meta.close();
        Forwarding.assertNoSecret(Forwarding.log());
    }

    @AfterEach
    void no_credential_in_the_log_so_far() throws Exception {
        Forwarding.assertNoSecret(Forwarding.log());
        for (JsonNode d : admin(server, "GET", "/api/v1/apps/1/destinations", null, 200).get("destinations")) {
            admin(server, "DELETE", BASE + d.get("id").asLong(), null, 204);
        }
    }

    @Test
    void after_errors_and_a_rate_limit_every_event_is_accepted_once() throws Exception {
        PlatformStub.Answer accept = PlatformStub.meta(Forwarding.SECRETS);
        int start = meta.hits().size();
        List<Long> rateLimitedAt = new ArrayList<>();
        meta.answerWith((hit, n) -> {
            int k = n - start;
            if (k <= 3) {
                return PlatformStub.Reply.json(500, "{\"error\": {\"message\": \"An unknown error occurred\","
                        + " \"type\": \"OAuthException\", \"code\": 1, \"is_transient\": true, \"fbtrace_id\": \"A1\"}}");
            }
            if (k == 4) {
                rateLimitedAt.add(System.nanoTime());
                return new PlatformStub.Reply(429, Map.of("Content-Type", "application/json", "Retry-After", "1"),
                        "{\"error\": {\"message\": \"Application request limit reached\", \"type\": \"OAuthException\","
                                + " \"code\": 4, \"is_transient\": true, \"fbtrace_id\": \"A2\"}}");
            }
            return accept.answer(hit, n);
        });
        Forwarding.meta(server, null);
        List<String> sent = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            sent.add(track(server, conversion(newId(), 10.0 + i, true, "v-f" + i)));
            Thread.sleep(100);
        }
        await(Duration.ofSeconds(30), "every event accepted", () -> meta.accepted().keySet().containsAll(sent));
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        Thread.sleep(1500); // anything still to come would be a re-send: let it arrive before counting
        List<PlatformStub.Hit> hits = meta.hits().subList(start, meta.hits().size());
        long received = hits.stream().mapToLong(h -> h.eventIds().size()).sum();
        System.out.printf("faults: %d events, %d requests, %d copies received, %d duplicates accepted again, %d s%n",
                sent.size(), hits.size(), received, meta.duplicates(), seconds);
        for (String id : sent) {
            assertThat(meta.accepted().get(id)).as("acceptances of " + id).isEqualTo(1);
        }
        assertThat(rateLimitedAt).hasSize(1);
        assertThat(hits.size()).as("a request after the 429").isGreaterThan(4);
        assertThat(Duration.between(hits.get(3).at(), hits.get(4).at())).as("Retry-After honoured")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(admin(server, "GET", BASE + destinationId() + "/deliveries?status=pending", null, 200)
                .get("deliveries")).isEmpty();
    }

    @Test
    void a_refusal_is_a_dead_letter_with_metas_message_and_a_retry_delivers_it() throws Exception {
        meta.answerWith((hit, n) -> PlatformStub.metaError(400, "Invalid parameter", 100,
                "The fbc parameter is formatted incorrectly"));
        long id = Forwarding.meta(server, null).id();
        String e = track(server, conversion(newId(), 99.0, true, "v-dead"));
        String path = BASE + id + "/deliveries";
        await(Duration.ofSeconds(10), "a dead letter", () -> dead(path).size() == 1);
        JsonNode letter = dead(path).get(0);
        assertThat(letter.get("event_id").asText()).isEqualTo(e);
        assertThat(letter.get("status").asText()).isEqualTo("dead");
        assertThat(letter.get("attempts").asInt()).isEqualTo(1);
        assertThat(letter.get("error").asText()).contains("Invalid parameter")
                .contains("The fbc parameter is formatted incorrectly");

        meta.answerWith(PlatformStub.meta(Forwarding.SECRETS));
        assertThat(admin(server, "POST", path + "/retry", null, 200).get("requeued").asInt()).isEqualTo(1);
        await(Duration.ofSeconds(10), "the retried letter is delivered", () -> meta.accepted().containsKey(e));
        await(Duration.ofSeconds(5), "its row is gone", () -> dead(path).isEmpty() && list(path + "?status=pending").isEmpty());
        assertThat(admin(server, "POST", path + "/retry", "{\"status\":\"expired\"}", 200).get("requeued").asInt())
                .isZero();
    }

    @Test
    void deliveries_of_another_apps_destination_are_not_found_and_bad_parameters_name_their_field()
            throws Exception {
        long id = Forwarding.meta(server, null).id();
        long other = admin(server, "POST", "/api/v1/apps", "{\"name\":\"other-" + newId() + "\"}", 201).get("id").asLong();
        String foreign = "/api/v1/apps/" + other + "/destinations/" + id + "/deliveries";
        admin(server, "GET", foreign, null, 404);
        admin(server, "POST", foreign + "/retry", null, 404);
        String path = BASE + id + "/deliveries";
        for (String query : List.of("?status=lost", "?status=", "?status=DEAD")) {
            assertThat(admin(server, "GET", path + query, null, 400).at("/error/field").asText()).as(query)
                    .isEqualTo("status");
        }
        for (String query : List.of("?limit=0", "?limit=1001", "?limit=ten", "?limit=-1")) {
            assertThat(admin(server, "GET", path + query, null, 400).at("/error/field").asText()).as(query)
                    .isEqualTo("limit");
        }
        for (String body : List.of("{\"status\":\"pending\"}", "{\"status\":7}", "{\"status\":\"gone\"}")) {
            assertThat(admin(server, "POST", path + "/retry", body, 400).at("/error/field").asText()).as(body)
                    .isEqualTo("status");
        }
        admin(server, "POST", path + "/retry", "{\"other\":1}", 400);
        admin(server, "GET", BASE + "99999/deliveries", null, 404);
        admin(server, "GET", BASE + "abc/deliveries", null, 400);
        assertThat(admin(server, "GET", path + "?status=skipped&limit=1000", null, 200).get("status").asText())
                .isEqualTo("skipped");
    }

    private static long destinationId() throws Exception {
        return admin(server, "GET", "/api/v1/apps/1/destinations", null, 200).get("destinations").get(0).get("id")
                .asLong();
    }

    private static JsonNode dead(String path) {
        return list(path + "?status=dead");
    }

    private static JsonNode list(String pathAndQuery) {
        try {
            return admin(server, "GET", pathAndQuery, null, 200).get("deliveries");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
