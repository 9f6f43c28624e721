package io.sightline;

import io.sightline.testing.ServerProcess;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestGeoDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw client address never rests anywhere: events from known addresses go through the real server (its
 * own process, logging at DEBUG, with GeoIP), then every row of every table, cast to text, and the whole
 * server log are searched for those addresses in every textual form we can think of.
 */
class IpPrivacyTest {
    private static final List<String> CLIENT_IPS = List.of(
            TestGeoDatabase.SYDNEY.sampleIp(), TestGeoDatabase.BERLIN.sampleIp(), TestGeoDatabase.TOKYO.sampleIp(),
            "192.0.2.201", "2001:db8:7:0:0:0:0:abcd");

    @Test
    void no_table_and_no_log_line_holds_a_client_ip_in_any_form(@TempDir Path dir) throws Exception {
        String url = TestDatabase.createDatabase();
        Map<String, String> env = Map.of(
                "SIGHTLINE_DATABASE_URL", url,
                "SIGHTLINE_DATABASE_USER", "postgres",
                "SIGHTLINE_DATABASE_PASSWORD", TestDatabase.server().password(),
                "SIGHTLINE_TRUSTED_PROXIES", "127.0.0.1/32",
                "SIGHTLINE_GEOIP_DATABASE", TestGeoDatabase.city().toString(),
                "SIGHTLINE_KEEP_BOTS", "false");
        Path log = dir.resolve("server.log");
        try (ServerProcess server = new ServerProcess(env, log,
                List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug")).start()) {
            String key = server.writeKey();
            for (String ip : CLIENT_IPS) {
                send(server, key, ip, "{\"type\":\"qr_scan\",\"properties\":{\"qr_code_id\":\"poster\"}}", "/track", 200);
                send(server, key, ip, "{\"events\":[{\"type\":\"screenshot\"},{\"type\":\"nope\"},"
                        + "{\"type\":\"conversion\",\"context\":{\"consent\":{\"analytics\":false}}}]}", "/batch", 200);
                send(server, key, ip, "{\"type\":", "/track", 400);
                send(server, key, ip, "{\"type\":\"placement\",\"surprise\":1}", "/track", 400);
                sendAsBot(server, key, ip);
            }
            assertThat(storedEventsWithCountry(url)).as("GeoIP saw the addresses").isGreaterThanOrEqualTo(3);
            server.terminate(Duration.ofSeconds(30));
        }

        Set<String> forms = new LinkedHashSet<>();
        for (String ip : CLIENT_IPS) {
            forms.addAll(textualForms(ip));
        }
        assertThat(rowsMentioning(url, forms)).isEmpty();
        String output = java.nio.file.Files.readString(log, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        assertThat(output).contains("debug").contains("stopped"); // the log really was at DEBUG, and complete
        for (String form : forms) {
            assertThat(output).as("the server log").doesNotContain(form);
        }
    }

    private static void send(ServerProcess server, String key, String ip, String json, String path, int status) {
        HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(server.uri("/api/v1/analytics" + path))
                .header("Content-Type", "application/json").header("X-Write-Key", key)
                .header("X-Forwarded-For", ip)
                .header("User-Agent", "MyApp/2.3 (iPhone14,2; iOS 17.4; Scale/3.00)")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    private static void sendAsBot(ServerProcess server, String key, String ip) {
        HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(server.uri("/api/v1/analytics/track"))
                .header("Content-Type", "application/json").header("X-Write-Key", key)
                .header("X-Forwarded-For", ip)
                .header("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"screenshot\"}")).build());
        assertThat(r.body()).contains("\"reason\":\"bot\"");
    }

    /** Canonical, fully expanded, IPv4-mapped, hex and (for IPv4) decimal spellings of one address. */
    static Set<String> textualForms(String ip) throws Exception {
        byte[] bytes = InetAddress.getByName(ip).getAddress();
        Set<String> forms = new LinkedHashSet<>();
        forms.add(ip.toLowerCase(Locale.ROOT));
        forms.add(InetAddress.getByAddress(bytes).getHostAddress().toLowerCase(Locale.ROOT));
        forms.add(HexFormat.of().formatHex(bytes));
        if (bytes.length == 4) {
            forms.add("::ffff:" + ip);
            forms.add(Long.toString(Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(bytes).getInt())));
        } else {
            StringBuilder full = new StringBuilder();
            StringBuilder compact = new StringBuilder();
            for (int i = 0; i < 16; i += 2) {
                int group = ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
                full.append(i == 0 ? "" : ":").append(String.format("%04x", group));
                compact.append(i == 0 ? "" : ":").append(Integer.toHexString(group));
            }
            forms.add(full.toString());
            forms.add(compact.toString());
            forms.add(java.net.Inet6Address.getByAddress(null, bytes, -1).getHostAddress());
            forms.add(compressed(compact.toString()));
        }
        return forms;
    }

    /** The RFC 5952 form: the longest run of zero groups becomes "::". */
    private static String compressed(String compact) {
        String[] groups = compact.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength && j - i >= 2) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return compact;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static long storedEventsWithCountry(String url) throws Exception {
        try (Connection c = TestDatabase.connect(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM analytics_events WHERE country IS NOT NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every table in every schema of ours, each row as text, searched for every form. */
    private static List<String> rowsMentioning(String url, Set<String> forms) throws Exception {
        List<String> hits = new ArrayList<>();
        try (Connection c = TestDatabase.connect(url)) {
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables"
                            + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                            + " AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).anyMatch(t -> t.endsWith("analytics_events_p" + java.time.YearMonth.now(
                    java.time.ZoneOffset.UTC).toString().replace('-', '_')));
            for (String table : tables) {
                for (String form : forms) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT count(*) FROM " + table + " t WHERE lower(t::text) LIKE '%' || ? || '%'")) {
                        ps.setString(1, form);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                hits.add(table + " holds " + form);
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }
}
