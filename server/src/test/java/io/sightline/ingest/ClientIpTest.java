package io.sightline.ingest;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ClientIpTest {

    private static byte[] storedIpHash(TestServer server, String forwardedFor) throws Exception {
        String id = UUID.randomUUID().toString();
        HttpResponse<String> r = server.post("/api/v1/analytics/track",
                "{\"event_id\":\"" + id + "\",\"type\":\"screenshot\"}",
                Map.of("Content-Type", "application/json", "X-Write-Key", server.writeKey(),
                        "X-Forwarded-For", forwardedFor));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try (Connection c = server.db();
             PreparedStatement ps = c.prepareStatement("SELECT ip_hash FROM analytics_events WHERE event_id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    @Test
    void ignores_x_forwarded_for_from_a_peer_that_is_not_a_trusted_proxy() throws Exception {
        try (TestServer server = TestServer.start()) {
            byte[] a = storedIpHash(server, "203.0.113.7");
            byte[] b = storedIpHash(server, "198.51.100.9");
            assertThat(a).isEqualTo(b).hasSize(32);
        }
    }

    @Test
    void reads_the_client_from_x_forwarded_for_behind_a_trusted_proxy() throws Exception {
        try (TestServer server = TestServer.start(Map.of("SIGHTLINE_TRUSTED_PROXIES", "127.0.0.1/32, 10.0.0.0/8"),
                Clock.systemUTC())) {
            byte[] a = storedIpHash(server, "203.0.113.7");
            byte[] b = storedIpHash(server, "198.51.100.9");
            byte[] sameClientThroughAnotherProxy = storedIpHash(server, "203.0.113.7, 10.1.2.3");
            byte[] forgedLeftEntry = storedIpHash(server, "1.2.3.4, 203.0.113.7");
            assertThat(a).isNotEqualTo(b);
            assertThat(sameClientThroughAnotherProxy).isEqualTo(a);
            assertThat(forgedLeftEntry).isEqualTo(a);
        }
    }
}
