package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExportApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final String RANGE = "from=2026-11-19&to=2026-11-20";
    /** Every character CSV must quote, in the text columns and inside properties. */
    private static final String TRICKY = "he said \"hi\", then\r\nleft, \"twice\"\n";
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("SIGHTLINE_DEVICE_DETECTION", "false"), Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String type = i % 3 == 0 ? "conversion" : "custom";
            String props = type.equals("conversion") ? "{\"cta_id\":\"buy\",\"note\":" + json(TRICKY) + "}" : "{\"n\":" + i + "}";
            String country = i % 2 == 0 ? "DE" : "FR";
            events.add("{\"type\":\"" + type + "\"" + (type.equals("custom") ? ",\"name\":" + json("a, \"b\"\n" + i) : "")
                    + ",\"user_id\":" + json(TRICKY + i) + ",\"visitor_id\":\"v" + i + "\""
                    + ",\"occurred_at\":\"2026-11-19T10:" + String.format("%02d", i) + ":00Z\""
                    + ",\"context\":{\"location\":{\"country\":\"" + country + "\"}},\"properties\":" + props + "}");
        }
        HttpResponse<String> stored = server.ingest("/api/v1/analytics/batch", "{\"events\":[" + String.join(",", events) + "]}");
        assertThat(stored.body()).contains("\"accepted\":30");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void csv_round_trips_quotes_commas_and_line_breaks_and_has_every_column_but_ip_hash() throws Exception {
        HttpResponse<String> response = export("format=csv&" + RANGE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(response.headers().firstValue("Content-Disposition").orElse(""))
                .isEqualTo("attachment; filename=\"sightline-app-1-events.csv\"");

        List<List<String>> rows = parseCsv(response.body());
        List<String> header = rows.get(0);
        assertThat(header).contains("app_id", "event_id", "occurred_at", "user_id", "properties", "is_bot", "derived")
                .doesNotContain("ip_hash").hasSize(storedColumns() - 1);
        assertThat(rows).hasSize(31);

        Map<String, Map<String, String>> stored = storedById();
        for (List<String> row : rows.subList(1, rows.size())) {
            Map<String, String> byName = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                byName.put(header.get(i), row.get(i));
            }
            Map<String, String> db = stored.get(byName.get("event_id"));
            assertThat(byName.get("user_id")).isEqualTo(db.get("user_id")).startsWith(TRICKY);
            assertThat(byName.get("event_name")).isEqualTo(db.get("event_name"));
            assertThat(JSON.readTree(byName.get("properties"))).isEqualTo(JSON.readTree(db.get("properties")));
        }
    }

    @Test
    void ndjson_streams_every_row_oldest_first_and_filters_apply() throws Exception {
        HttpResponse<String> all = export(RANGE);
        assertThat(all.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        String[] lines = all.body().split("\n");
        assertThat(lines).hasSize(30);
        List<String> times = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.has("ip_hash")).isFalse();
            assertThat(event.has("visitor_id")).isTrue();
            times.add(event.get("occurred_at").asText());
        }
        assertThat(times).isSorted();

        String[] german = export(RANGE + "&event_type=conversion&filter=country:eq:DE").body().split("\n");
        assertThat(german).hasSize(5); // i = 0, 6, 12, 18, 24
        for (String line : german) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.get("event_type").asText()).isEqualTo("conversion");
            assertThat(event.get("country").asText()).isEqualTo("DE");
        }
        assertThat(export("from=2026-11-19T10:00:00Z&to=2026-11-19T10:10:00Z").body().split("\n")).hasSize(10);
        assertThat(parseCsv(export("format=csv&from=2026-11-18&to=2026-11-18").body())).as("only the header").hasSize(1);
    }

    @Test
    void refuses_an_unknown_format_naming_format_and_other_bad_parameters_naming_them() throws Exception {
        HttpResponse<String> xml = export("format=xml");
        assertThat(xml.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(xml.body()).at("/error/field").asText()).isEqualTo("format");
        HttpResponse<String> filter = export("filter=planet:eq:mars");
        assertThat(JSON.readTree(filter.body()).at("/error/field").asText()).isEqualTo("filter");
        HttpResponse<String> unknown = export("limit=5");
        assertThat(JSON.readTree(unknown.body()).at("/error/field").asText()).isEqualTo("limit");
        assertThat(server.get("/api/v1/apps/999/events/export", auth()).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/v1/apps/1/events/export", Map.of("X-Write-Key", server.writeKey())).statusCode())
                .isEqualTo(401);
    }

    private static HttpResponse<String> export(String query) {
        return server.get("/api/v1/apps/1/events/export?" + query, auth());
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + server.adminToken());
    }

    private static int storedColumns() throws Exception {
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.columns"
                     + " WHERE table_schema = 'public' AND table_name = 'analytics_events'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Map<String, Map<String, String>> storedById() throws Exception {
        Map<String, Map<String, String>> rows = new HashMap<>();
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id::text, user_id, event_name, properties::text FROM analytics_events")) {
            while (rs.next()) {
                rows.put(rs.getString(1), Map.of("user_id", rs.getString(2),
                        "event_name", rs.getString(3) == null ? "" : rs.getString(3), "properties", rs.getString(4)));
            }
        }
        return rows;
    }

    /** RFC 4180, independently of the server's writer: quoted fields may hold commas, doubled quotes and CRLF. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertThat(quoted).as("unterminated quote").isFalse();
        assertThat(field.length() + row.size()).as("the last line ends with CRLF").isZero();
        return rows;
    }

    private static String json(String s) throws Exception {
        return JSON.writeValueAsString(s);
    }
}
