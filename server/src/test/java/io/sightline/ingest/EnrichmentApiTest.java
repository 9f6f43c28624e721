package io.sightline.ingest;

import io.sightline.testing.TestGeoDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Enrichment through the real server: GeoIP from a real .mmdb, Yauaa, salts in PostgreSQL. */
class EnrichmentApiTest {
    private static final String IPHONE_APP = "MyApp/2.3 (iPhone14,2; iOS 17.4; Scale/3.00)";
    private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    private static final String SYDNEY = TestGeoDatabase.SYDNEY.sampleIp();
    private static final String BERLIN = TestGeoDatabase.BERLIN.sampleIp();

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("SIGHTLINE_TRUSTED_PROXIES", "127.0.0.1/32",
                "SIGHTLINE_GEOIP_DATABASE", TestGeoDatabase.city().toString()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(TestServer to, String path, String json, String ip, String userAgent,
                                             Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json",
                "X-Write-Key", to.writeKey(), "X-Forwarded-For", ip, "User-Agent", userAgent));
        headers.putAll(extra);
        return to.post("/api/v1/analytics" + path, json, headers);
    }

    private static String track(String json, String ip, String userAgent) {
        String id = UUID.randomUUID().toString();
        String body = "{\"event_id\":\"" + id + "\"," + json.substring(1);
        HttpResponse<String> r = send(server, "/track", body, ip, userAgent, Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return id;
    }

    private static Map<String, Object> row(TestServer from, String eventId) throws Exception {
        try (Connection c = from.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT country, region, city, latitude, longitude, os, os_version, device_model, device_type,"
                        + " browser, browser_version, visitor_id, session_id, ip_hash, consent_ads, is_bot, derived"
                        + " FROM analytics_events WHERE event_id = ?::uuid")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    if (value instanceof Array array) {
                        value = List.of((Object[]) array.getArray());
                    }
                    row.put(rs.getMetaData().getColumnName(i), value);
                }
                return row;
            }
        }
    }

    private static List<Object> derived(Map<String, Object> row) {
        return new java.util.ArrayList<>((List<?>) row.get("derived"));
    }

    @Test
    void derives_location_device_visitor_and_session_for_an_event_that_says_nothing() throws Exception {
        Map<String, Object> row = row(server, track("{\"type\":\"screenshot\"}", SYDNEY, IPHONE_APP));

        assertThat(row).containsEntry("country", "AU").containsEntry("region", "New South Wales")
                .containsEntry("city", "Sydney").containsEntry("latitude", -33.87).containsEntry("longitude", 151.21)
                .containsEntry("os", "iOS").containsEntry("os_version", "17.4")
                .containsEntry("device_model", "Apple iPhone").containsEntry("device_type", "phone")
                .containsEntry("browser", "MyApp").containsEntry("browser_version", "2.3")
                .containsEntry("consent_ads", false).containsEntry("is_bot", false);
        assertThat((String) row.get("visitor_id")).matches("[0-9a-f]{32}");
        assertThat((String) row.get("session_id")).matches("[0-9a-f]{16}");
        assertThat((byte[]) row.get("ip_hash")).hasSize(32);
        assertThat(derived(row)).containsExactlyInAnyOrder("country", "region", "city", "latitude",
                "longitude", "os", "os_version", "device_model", "device_type", "browser", "browser_version",
                "visitor_id", "session_id", "consent_ads");
    }

    @Test
    void client_city_wins_over_geoip() throws Exception {
        Map<String, Object> row = row(server, track("{\"type\":\"screenshot\",\"visitor_id\":\"v-1\","
                + "\"context\":{\"location\":{\"city\":\"Paris\",\"country\":\"FR\"}}}", SYDNEY, IPHONE_APP));

        assertThat(row).containsEntry("country", "FR").containsEntry("city", "Paris").containsEntry("region", null)
                .containsEntry("latitude", null).containsEntry("visitor_id", "v-1");
        assertThat(derived(row)).doesNotContain("country", "region", "city", "visitor_id");
    }

    @Test
    void one_visitor_and_one_session_across_requests_and_another_visitor_from_another_address() throws Exception {
        Map<String, Object> first = row(server, track("{\"type\":\"qr_scan\",\"properties\":{\"qr_code_id\":\"q\"}}",
                BERLIN, IPHONE_APP));
        Map<String, Object> second = row(server, track("{\"type\":\"placement\",\"properties\":{\"object_id\":\"o\"}}",
                BERLIN, IPHONE_APP));
        Map<String, Object> other = row(server, track("{\"type\":\"screenshot\"}", SYDNEY, IPHONE_APP));

        assertThat(second.get("visitor_id")).isEqualTo(first.get("visitor_id"));
        assertThat(second.get("session_id")).isEqualTo(first.get("session_id"));
        assertThat(other.get("visitor_id")).isNotEqualTo(first.get("visitor_id"));
        assertThat(other.get("session_id")).isNotEqualTo(first.get("session_id"));
    }

    @Test
    void answers_dropped_events_by_index_and_counts_them_by_reason() throws Exception {
        String kept = UUID.randomUUID().toString();
        String refused = UUID.randomUUID().toString();
        HttpResponse<String> batch = send(server, "/batch", "{\"events\":[{\"event_id\":\"" + kept
                + "\",\"type\":\"screenshot\"},{\"event_id\":\"" + refused + "\",\"type\":\"screenshot\","
                + "\"context\":{\"consent\":{\"analytics\":false}}},{\"type\":\"nope\"}]}", SYDNEY, IPHONE_APP, Map.of());
        String bot = UUID.randomUUID().toString();
        HttpResponse<String> crawler = send(server, "/track", "{\"event_id\":\"" + bot + "\",\"type\":\"screenshot\"}",
                SYDNEY, GOOGLEBOT, Map.of());

        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(batch.body()).contains("\"accepted\":1")
                .contains("\"dropped\":[{\"index\":1,\"reason\":\"no_consent\"}]")
                .contains("\"index\":2,\"code\":\"unknown_event_type\"");
        assertThat(crawler.statusCode()).isEqualTo(200);
        assertThat(crawler.body()).isEqualTo("{\"accepted\":0,\"event_id\":\"" + bot
                + "\",\"dropped\":[{\"index\":0,\"reason\":\"bot\"}]}");
        assertThat(row(server, kept)).isNotNull();
        assertThat(row(server, refused)).isNull();
        assertThat(row(server, bot)).isNull();
        String metrics = server.get("/metrics", Map.of("Authorization", "Bearer " + server.adminToken())).body();
        assertThat(metrics).contains("sightline_events_dropped_total{reason=\"bot\"} 1.0")
                .contains("sightline_events_dropped_total{reason=\"no_consent\"} 1.0");
    }

    @Test
    void counts_user_agent_and_geoip_lookups_by_result_for_sizing_the_caches() throws Exception {
        Map<String, Double> before = lookups();
        String newAgent = "MyApp/" + (System.nanoTime() % 1000) + ".7 (iPhone15,3; iOS 17.5; Scale/3.00)";
        track("{\"type\":\"screenshot\"}", BERLIN, newAgent);
        track("{\"type\":\"screenshot\"}", BERLIN, newAgent);
        Map<String, Double> after = lookups();

        assertThat(after.get("user_agent parsed") - before.get("user_agent parsed")).isEqualTo(1.0);
        assertThat(after.get("user_agent cached") - before.get("user_agent cached")).isEqualTo(1.0);
        assertThat(after.get("user_agent unparsed")).isEqualTo(0.0);
        double database = after.get("geoip database") - before.get("geoip database");
        double remembered = after.get("geoip remembered") - before.get("geoip remembered");
        assertThat(database + remembered).as("one lookup per request").isEqualTo(2.0);
        assertThat(remembered).as("the second one at least is answered from memory").isGreaterThanOrEqualTo(1.0);
    }

    /** The lookup counters, keyed "user_agent cached", "geoip database", ... */
    private static Map<String, Double> lookups() {
        String metrics = server.get("/metrics", Map.of("Authorization", "Bearer " + server.adminToken())).body();
        Map<String, Double> counts = new HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("sightline_(user_agent|geoip)_lookups_total\\{result=\"(\\w+)\"} (\\S+)").matcher(metrics);
        while (m.find()) {
            counts.put(m.group(1) + " " + m.group(2), Double.parseDouble(m.group(3)));
        }
        assertThat(counts).as(metrics).containsKeys("user_agent cached", "user_agent shared", "user_agent parsed",
                "user_agent unparsed", "geoip remembered", "geoip database");
        return counts;
    }

    @Test
    void global_privacy_control_and_do_not_track_deny_ads_consent() throws Exception {
        String gpc = UUID.randomUUID().toString();
        String dnt = UUID.randomUUID().toString();
        String consented = "\",\"type\":\"screenshot\",\"context\":{\"consent\":{\"analytics\":true,\"ads\":true}}}";
        send(server, "/track", "{\"event_id\":\"" + gpc + consented, SYDNEY, IPHONE_APP, Map.of("Sec-GPC", "1"));
        send(server, "/track", "{\"event_id\":\"" + dnt + consented, SYDNEY, IPHONE_APP, Map.of("DNT", "1"));
        String plain = track("{\"type\":\"screenshot\",\"context\":{\"consent\":{\"ads\":true}}}", SYDNEY, IPHONE_APP);

        assertThat(row(server, gpc)).containsEntry("consent_ads", false);
        assertThat(row(server, dnt)).containsEntry("consent_ads", false);
        assertThat(row(server, plain)).containsEntry("consent_ads", true);
    }

    @Test
    void keeps_bots_flagged_when_configured() throws Exception {
        try (TestServer keeping = TestServer.start(Map.of("SIGHTLINE_KEEP_BOTS", "true"), Clock.systemUTC())) {
            String id = UUID.randomUUID().toString();
            HttpResponse<String> r = send(keeping, "/track", "{\"event_id\":\"" + id + "\",\"type\":\"screenshot\"}",
                    "127.0.0.1", GOOGLEBOT, Map.of());
            assertThat(r.body()).contains("\"accepted\":1");
            assertThat(row(keeping, id)).containsEntry("is_bot", true);
        }
    }
}
