package io.sightline.ingest;

import io.sightline.testing.MutableClock;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance remembers for 30 s that an app has no identify links (so that its anonymous events cost no lookup): a
 * link made on another instance applies here once that answer has expired, one made here at once.
 */
class SegmentLinksTwoInstancesTest {

    @Test
    void a_link_from_another_instance_applies_within_30_seconds_and_one_made_here_at_once() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer a = TestServer.start(Map.of(), clock);
             TestServer b = TestServer.join(a, Map.of(), Clock.systemUTC())) {
            String run = UUID.randomUUID().toString();
            String v = "v-" + run;
            assertThat(track(a, v, "before")).isEqualTo(200); // a learns that the app has no links
            assertThat(user(a, "before", run)).isNull();

            assertThat(identify(b, v, "u-" + run)).isEqualTo(200);
            assertThat(track(a, v, "stale")).isEqualTo(200);
            assertThat(user(a, "stale", run)).as("within 30 s of a's answer").isNull();

            clock.advance(SegmentIdentities.UNKNOWN_FOR.plusSeconds(1));
            assertThat(track(a, v, "after")).isEqualTo(200);
            assertThat(user(a, "after", run)).isEqualTo("u-" + run);

            // Another app, which a has just learnt has no links: a link made on a applies at once.
            String key = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    a.admin("POST", "/api/v1/apps", "{\"name\":\"links " + run + "\"}").body()).get("write_key").asText();
            String w = "w-" + run;
            assertThat(track(a, key, w, "first")).isEqualTo(200);
            assertThat(identify(a, key, w, "u2-" + run)).isEqualTo(200);
            assertThat(track(a, key, w, "here")).isEqualTo(200);
            assertThat(user(a, "first", run)).isNull();
            assertThat(user(a, "here", run)).isEqualTo("u2-" + run);
        }
    }

    private static int track(TestServer server, String visitor, String name) {
        return track(server, server.writeKey(), visitor, name);
    }

    private static int identify(TestServer server, String visitor, String user) {
        return identify(server, server.writeKey(), visitor, user);
    }

    private static int track(TestServer server, String key, String visitor, String name) {
        return post(server, key, "/v1/track", "{\"type\":\"track\",\"event\":\"" + name + "\",\"anonymousId\":\"" + visitor
                + "\",\"properties\":{\"run\":\"" + visitor.substring(2) + "\"}}").statusCode();
    }

    private static int identify(TestServer server, String key, String visitor, String user) {
        return post(server, key, "/v1/identify", "{\"type\":\"identify\",\"anonymousId\":\"" + visitor + "\",\"userId\":\""
                + user + "\"}").statusCode();
    }

    private static HttpResponse<String> post(TestServer server, String key, String path, String body) {
        return server.post(path, body, Map.of("Content-Type", "application/json", "Authorization", SegmentTestApp.basic(key)));
    }

    private static String user(TestServer server, String name, String run) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement("SELECT user_id FROM analytics_events"
                + " WHERE event_name = ? AND properties->>'run' = ?")) {
            ps.setString(1, name);
            ps.setString(2, run);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(name + " stored").isTrue();
                return rs.getString(1);
            }
        }
    }
}
