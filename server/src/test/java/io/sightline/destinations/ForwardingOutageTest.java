package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.MutableClock;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static io.sightline.destinations.Forwarding.admin;
import static io.sightline.destinations.Forwarding.await;
import static io.sightline.destinations.Forwarding.conversion;
import static io.sightline.destinations.Forwarding.newId;
import static io.sightline.destinations.Forwarding.track;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A platform that stays down, on a server whose clock the test moves: the events wait as pending deliveries, the
 * destination is paused rather than sent a request per event, the ones older than Meta's seven days expire with the
 * reason once the housekeeping runs, and a GDPR erasure takes a visitor's waiting deliveries with their events.
 */
class ForwardingOutageTest {
    private static final String BASE = "/api/v1/apps/1/destinations/";
    private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private static PlatformStub meta;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Forwarding.captureLog();
        meta = new PlatformStub((hit, n) -> PlatformStub.Reply.json(503, "{\"error\": {\"message\":"
                + " \"Service temporarily unavailable\", \"type\": \"OAuthException\", \"code\": 2,"
                + " \"is_transient\": true, \"fbtrace_id\": \"Down\"}}"));
        server = TestServer.startForwarding(Forwarding.env(meta, "SIGHTLINE_FORWARD_BACKOFF", "1s",
                "SIGHTLINE_JOBS", "false"), CLOCK);
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
    void a_destination_that_stays_down_is_paused_and_its_events_wait_then_expire_after_metas_window()
            throws Exception {
        long id = Forwarding.meta(server, null).id();
        String path = BASE + id + "/deliveries";
        int before = meta.hits().size();
        List<String> sent = new ArrayList<>();
        // 20 events over 2 s of real time, while the server's clock moves 10 s: without the pause, every event
        // and every retry pass would cost a request.
        for (int i = 0; i < 20; i++) {
            sent.add(track(server, conversion(newId(), 1.0 + i, true, "v-out" + i)));
            Thread.sleep(100);
            CLOCK.advance(Duration.ofMillis(500));
        }
        await(Duration.ofSeconds(10), "all 20 wait as pending deliveries", () -> pending(path).size() == 20);
        int requests = meta.hits().size() - before;
        System.out.printf("outage: %d events, %d requests to the down platform over 10 s of server time%n",
                sent.size(), requests);
        assertThat(requests).as("requests to a destination that is down").isBetween(1, 8);
        assertThat(pending(path).findValuesAsText("event_id")).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(pending(path).findValuesAsText("error")).allMatch(e -> e.contains("503")
                || e.contains("paused"));

        int beforeJump = meta.hits().size();
        CLOCK.advance(Duration.ofDays(7).plusHours(1));
        await(Duration.ofSeconds(10), "the housekeeping expires them after the clock jump",
                () -> list(path + "?status=expired").size() == 20);
        assertThat(pending(path)).isEmpty();
        assertThat(list(path + "?status=expired").findValuesAsText("error"))
                .allMatch(e -> e.contains("older than meta's window of 7 days"));
        assertThat(sentSince(beforeJump)).as("events past the window are not sent").doesNotContainAnyElementsOf(sent);
    }

    @Test
    void a_waiting_delivery_that_ages_past_the_window_between_housekeeping_runs_expires() throws Exception {
        long id = Forwarding.meta(server, null).id();
        String path = BASE + id + "/deliveries";
        String e = track(server, conversion(newId(), 4.0, true, "v-ages"));
        await(Duration.ofSeconds(10), "it waits", () -> pending(path).size() == 1);
        int before = meta.hits().size();
        // Just inside the window (and Meta's client's minute of margin): the housekeeping runs, with nothing to
        // expire yet, and the retry fails again.
        CLOCK.advance(Duration.ofDays(7).minusSeconds(90));
        await(Duration.ofSeconds(10), "a retry just inside the window", () -> meta.hits().size() > before);
        // 45 s later the client finds it too old to send, but the housekeeping is not due for another 15 s: the
        // retry pass meets the old event first.
        CLOCK.advance(Duration.ofSeconds(45));
        await(Duration.ofSeconds(10), "the delivery leaves the pending list", () -> pending(path).isEmpty());
        JsonNode expired = list(path + "?status=expired");
        assertThat(list(path + "?status=skipped")).as("skipped is for events never sendable").isEmpty();
        assertThat(expired.findValuesAsText("event_id")).containsExactly(e);
        assertThat(expired.get(0).get("error").asText()).containsIgnoringCase("older than meta").contains("7");
    }

    @Test
    void an_erasure_removes_the_visitors_pending_deliveries() throws Exception {
        long id = Forwarding.meta(server, null).id();
        String path = BASE + id + "/deliveries";
        String gone1 = track(server, conversion(newId(), 5.0, true, "v-erase-me"));
        String gone2 = track(server, conversion(newId(), 6.0, true, "v-erase-me"));
        String kept = track(server, conversion(newId(), 7.0, true, "v-keep-me"));
        await(Duration.ofSeconds(10), "three pending deliveries", () -> pending(path).size() == 3);

        JsonNode erased = admin(server, "POST", "/api/v1/apps/1/privacy/delete", "{\"visitor_id\":\"v-erase-me\"}", 200);
        assertThat(erased.get("complete").asBoolean()).isTrue();
        assertThat(pending(path).findValuesAsText("event_id")).containsExactly(kept);
        assertThat(rows("SELECT count(*) FROM destination_deliveries WHERE visitor_id = 'v-erase-me'")).isZero();
        assertThat(rows("SELECT count(*) FROM destination_deliveries WHERE event_id::text IN ('" + gone1 + "', '"
                + gone2 + "')")).isZero();
    }

    private static List<String> sentSince(int from) {
        return meta.hits().subList(from, meta.hits().size()).stream().flatMap(h -> h.eventIds().stream()).toList();
    }

    private static long rows(String sql) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static JsonNode pending(String path) {
        return list(path + "?status=pending");
    }

    private static JsonNode list(String pathAndQuery) {
        try {
            return admin(server, "GET", pathAndQuery, null, 200).get("deliveries");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
