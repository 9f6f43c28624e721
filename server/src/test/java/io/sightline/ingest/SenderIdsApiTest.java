package io.sightline.ingest;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IP hash and the derived visitor are computed once per request and shared by its events: a batch must get
 * exactly what each of its events would get alone, and a Segment batch relaying several senders one per sender.
 */
class SenderIdsApiTest {
    private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("SIGHTLINE_TRUSTED_PROXIES", "127.0.0.1/32"), java.time.Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_batch_gets_for_each_event_the_ids_the_event_gets_alone() throws Exception {
        String run = UUID.randomUUID().toString();
        assertThat(post("/api/v1/analytics/track", event(run, "alone"), "203.0.113.20").statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/analytics/batch", "{\"events\":[" + event(run, "first") + "," + event(run, "second")
                + "," + event(run, "third") + "]}", "203.0.113.20").statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/analytics/track", event(run, "elsewhere"), "198.51.100.20").statusCode())
                .isEqualTo(200);

        String[] alone = ids(run, "alone");
        for (String name : new String[] {"first", "second", "third"}) {
            assertThat(ids(run, name)).as(name).containsExactly(alone);
        }
        String[] elsewhere = ids(run, "elsewhere");
        assertThat(elsewhere[0]).isNotEqualTo(alone[0]);
        assertThat(elsewhere[1]).isNotEqualTo(alone[1]);
    }

    @Test
    void a_segment_batch_relaying_two_senders_gets_each_senders_own_ids() throws Exception {
        String run = UUID.randomUUID().toString();
        String batch = "{\"batch\":[" + relayed(run, "a1", "203.0.113.30") + "," + relayed(run, "b1", "203.0.113.31")
                + "," + relayed(run, "a2", "203.0.113.30") + "]}";
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json", "User-Agent", IPHONE,
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (server.writeKey() + ":").getBytes(StandardCharsets.UTF_8))));
        HttpResponse<String> r = server.post("/v1/batch", batch, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(post("/api/v1/analytics/track", event(run, "native-b"), "203.0.113.31").statusCode())
                .isEqualTo(200);

        assertThat(ids(run, "a2")).containsExactly(ids(run, "a1"));
        assertThat(ids(run, "b1")[0]).isNotEqualTo(ids(run, "a1")[0]);
        assertThat(ids(run, "b1")[1]).isNotEqualTo(ids(run, "a1")[1]);
        assertThat(ids(run, "b1")).containsExactly(ids(run, "native-b"));
    }

    private static String event(String run, String name) {
        return "{\"type\":\"custom\",\"name\":\"" + name + "\",\"properties\":{\"run\":\"" + run + "\"}}";
    }

    private static String relayed(String run, String name, String ip) {
        return "{\"type\":\"track\",\"event\":\"" + name + "\",\"properties\":{\"run\":\"" + run + "\"},"
                + "\"context\":{\"ip\":\"" + ip + "\"}}";
    }

    private static HttpResponse<String> post(String path, String body, String ip) {
        return server.post(path, body, Map.of("Content-Type", "application/json", "X-Write-Key", server.writeKey(),
                "X-Forwarded-For", ip, "User-Agent", IPHONE));
    }

    /** The stored visitor id and IP hash (hex) of the run's event named {@code name}. */
    private static String[] ids(String run, String name) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement("SELECT visitor_id, ip_hash"
                + " FROM analytics_events WHERE properties->>'run' = ? AND event_name = ?")) {
            ps.setString(1, run);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(name + " stored").isTrue();
                String[] ids = {rs.getString(1), HexFormat.of().formatHex(rs.getBytes(2))};
                assertThat(rs.next()).as(name + " stored once").isFalse();
                return ids;
            }
        }
    }
}
