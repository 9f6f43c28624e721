package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sightline.destinations.Forwarding.await;
import static io.sightline.destinations.Forwarding.conversion;
import static io.sightline.destinations.Forwarding.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code send_client_data}: the client's IP address and User-Agent reach a destination that may send them, and no
 * other; the raw address is held only sealed, only while the delivery is pending, and never with the event.
 */
class ForwardingClientDataTest {
    private static final String USER_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1 ClientDataTest";
    private static final String IP = "127.0.0.1";
    private static PlatformStub meta;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        meta = new PlatformStub(PlatformStub.meta(Forwarding.SECRETS));
        server = TestServer.startForwarding(Forwarding.env(meta), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
        meta.close();
    }

    @Test
    void sends_ip_and_user_agent_only_to_the_destination_that_may_and_keeps_them_nowhere_after() throws Exception {
        String withToken = Forwarding.secret("EAAG");
        String withoutToken = Forwarding.secret("EAAG");
        Forwarding.create(server, destination("With client data", withToken, true));
        Forwarding.create(server, destination("Without client data", withoutToken, false));
        Thread.sleep(ClientDataCipher.REFRESH.toMillis()); // the sealer reads which apps want it at most this often

        String id = send(conversion(newId(), 20.0, true, "v-client"));
        await(Duration.ofSeconds(10), "both destinations got it", () -> sentWith(withToken, id) != null
                && sentWith(withoutToken, id) != null);

        JsonNode with = sentWith(withToken, id);
        assertThat(with.at("/user_data/client_ip_address").asText()).isEqualTo(IP);
        assertThat(with.at("/user_data/client_user_agent").asText()).isEqualTo(USER_AGENT);
        JsonNode without = sentWith(withoutToken, id);
        assertThat(without.path("user_data").has("client_ip_address")).isFalse();
        assertThat(without.path("user_data").has("client_user_agent")).isFalse();

        await(Duration.ofSeconds(10), "the outbox row is gone", () -> rows("SELECT 1 FROM outbox_events").isEmpty());
        assertThat(String.join("\n", rows("SELECT e::text FROM analytics_events e"))).doesNotContain(IP)
                .doesNotContain("ClientDataTest");
    }

    @Test
    void a_pending_delivery_holds_the_address_sealed_and_drops_it_when_it_ends() throws Exception {
        String token = Forwarding.secret("EAAG");
        long dest = Forwarding.create(server, destination("Down then refusing", token, true));
        Thread.sleep(ClientDataCipher.REFRESH.toMillis());
        meta.answerWith((hit, n) -> PlatformStub.Reply.json(503, "{\"error\":{\"message\":\"down\",\"code\":2,"
                + "\"is_transient\":true}}"));
        try {
            String id = send(conversion(newId(), 5.0, true, "v-pending"));
            await(Duration.ofSeconds(10), "a pending delivery with its sealed client data",
                    () -> !rows("SELECT encode(client_data, 'hex') FROM destination_deliveries WHERE status = 'pending'"
                            + " AND destination_id = " + dest + " AND event_id = '" + id + "' AND client_data IS NOT NULL")
                            .isEmpty());
            String sealed = rows("SELECT encode(client_data, 'escape') FROM destination_deliveries WHERE event_id = '"
                    + id + "' AND destination_id = " + dest).get(0);
            assertThat(sealed).doesNotContain(IP).doesNotContain("ClientDataTest");

            meta.answerWith((hit, n) -> PlatformStub.metaError(400, "Invalid parameter", 100, "refused"));
            Forwarding.await(Duration.ofSeconds(15), "the delivery is dead", () -> !rows(
                    "SELECT 1 FROM destination_deliveries WHERE status = 'dead' AND destination_id = " + dest).isEmpty());
            assertThat(rows("SELECT 1 FROM destination_deliveries WHERE client_data IS NOT NULL AND destination_id = "
                    + dest)).as("an ended delivery keeps no client data").isEmpty();
        } finally {
            meta.answerWith(PlatformStub.meta(Forwarding.SECRETS));
            Forwarding.admin(server, "DELETE", "/api/v1/apps/1/destinations/" + dest, null, 204);
        }
    }

    private static String destination(String name, String token, boolean clientData) {
        return "{\"type\":\"meta\",\"name\":\"" + name + "\",\"send_client_data\":" + clientData
                + ",\"config\":{\"pixel_id\":\"" + Forwarding.PIXEL + "\",\"access_token\":\"" + token + "\"}}";
    }

    private static String send(String json) throws Exception {
        HttpResponse<String> r = server.post("/api/v1/analytics/track", json, Map.of("Content-Type",
                "application/json", "X-Write-Key", server.writeKey(), "User-Agent", USER_AGENT));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return PlatformStub.JSON.readTree(r.body()).get("event_id").asText();
    }

    /** The Meta event of {@code id} sent with the destination's token, or null. */
    private static JsonNode sentWith(String token, String id) {
        for (PlatformStub.Hit hit : meta.hits()) {
            JsonNode body = hit.json();
            if (!token.equals(body.path("access_token").asText())) {
                continue;
            }
            for (JsonNode e : body.path("data")) {
                if (id.equals(e.path("event_id").asText())) {
                    return e;
                }
            }
        }
        return null;
    }

    private static List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = server.db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(new String(rs.getString(1).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
        return rows;
    }
}
