package io.sightline.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.auth.Secrets;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class PrivacyApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static long app;
    private static long otherApp;
    private static String otherWriteKey;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        app = JSON.readTree(server.admin("GET", "/api/v1/apps", null).body()).get("apps").get(0).get("id").asLong();
        JsonNode other = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"other\"}").body());
        otherApp = other.get("id").asLong();
        otherWriteKey = other.get("write_key").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Subject ids unique to each test, so tests sharing the server never see each other's events. */
    private static String id(String name) {
        return name + "-" + UUID.randomUUID();
    }

    private static String event(String visitorId, String userId) {
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"qr_scan\",\"occurred_at\":\"" + now + "\""
                + (visitorId == null ? "" : ",\"visitor_id\":\"" + visitorId + "\"")
                + (userId == null ? "" : ",\"user_id\":\"" + userId + "\"")
                + ",\"session_id\":\"s-1\",\"properties\":{\"qr_code_id\":\"poster-7\",\"campaign\":\"spring\"}"
                + ",\"context\":{\"device\":{\"os\":\"iOS\",\"model\":\"iPhone14,2\"},\"locale\":\"de-DE\"}}";
    }

    /** Ingests {@code count} events through the real batch route and returns their ids. */
    private static List<String> ingest(String writeKey, int count, String visitorId, String userId) throws Exception {
        List<String> events = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String e = event(visitorId, userId);
            events.add(e);
            ids.add(JSON.readTree(e).get("event_id").asText());
        }
        HttpResponse<String> r = server.post("/api/v1/analytics/batch", "{\"events\":[" + String.join(",", events) + "]}",
                Map.of("Content-Type", "application/json", "X-Write-Key", writeKey));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(count);
        return ids;
    }

    private static HttpResponse<String> export(long appId, String kind, String id) {
        return server.admin("GET", "/api/v1/apps/" + appId + "/privacy/export?" + kind + "="
                + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
    }

    private static HttpResponse<String> delete(long appId, String body) {
        return server.admin("POST", "/api/v1/apps/" + appId + "/privacy/delete", body);
    }

    private static List<JsonNode> lines(HttpResponse<String> r) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(r.body().isEmpty() || r.body().endsWith("\n")).as("every line ends with a newline").isTrue();
        return lines;
    }

    private static long count(String sql, Object... params) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> strings(String sql, Object... params) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        }
    }

    /**
     * Rows of the subject in the app, summed over every table of the schema that has a column named
     * {@code column} (found through information_schema, so tables added later are covered without a change here).
     * Only text columns: a subject's id is text, and the dashboard's tables name their bigint users.id user_id.
     */
    private static long rowsEverywhere(String column, String id, long appId) throws Exception {
        List<String> tables = strings("""
                SELECT c.table_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = 'public' AND c.column_name = ? AND t.table_type = 'BASE TABLE'
                  AND c.data_type = 'text'""", column);
        assertThat(tables).contains("analytics_events");
        long total = 0;
        for (String table : tables) {
            boolean hasApp = count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
                    + " AND table_name = ? AND column_name = 'app_id'", table) == 1;
            // Identifiers come from the catalogue; without app_id, any row of that id counts.
            total += hasApp
                    ? count("SELECT count(*) FROM \"" + table + "\" WHERE app_id = ? AND " + column + " = ?", appId, id)
                    : count("SELECT count(*) FROM \"" + table + "\" WHERE " + column + " = ?", id);
        }
        return total;
    }

    @Test
    void export_streams_exactly_the_visitors_events_of_that_app_as_ndjson_without_ip_hash() throws Exception {
        String a = id("visitor-a");
        List<String> aEvents = ingest(server.writeKey(), 3, a, null);
        ingest(server.writeKey(), 2, id("visitor-b"), null);
        ingest(server.writeKey(), 2, null, id("user-u"));
        ingest(otherWriteKey, 2, a, null);

        HttpResponse<String> r = export(app, "visitor_id", a);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<JsonNode> lines = lines(r);
        assertThat(lines).hasSize(3);
        Set<String> columns = new HashSet<>(strings("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = 'public' AND table_name = 'analytics_events'"));
        columns.remove("ip_hash");
        Set<String> exportedIds = new HashSet<>();
        for (JsonNode line : lines) {
            assertThat(line.get("visitor_id").asText()).isEqualTo(a);
            assertThat(line.get("app_id").asLong()).isEqualTo(app);
            Set<String> keys = new HashSet<>();
            line.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).isEqualTo(columns).doesNotContain("ip_hash");
            for (String at : List.of("occurred_at", "received_at")) {
                assertThat(OffsetDateTime.parse(line.get(at).asText()).getOffset()).as(at).isEqualTo(ZoneOffset.UTC);
            }
            assertThat(line.get("properties").get("qr_code_id").asText()).isEqualTo("poster-7");
            assertThat(line.get("derived").isArray()).isTrue();
            assertThat(line.get("os").asText()).isEqualTo("iOS");
            exportedIds.add(line.get("event_id").asText());
        }
        assertThat(exportedIds).containsExactlyInAnyOrderElementsOf(aEvents);
    }

    @Test
    void export_by_user_id_streams_only_that_users_events() throws Exception {
        String u = id("user-u");
        List<String> uEvents = ingest(server.writeKey(), 2, id("visitor-of-u"), u);
        ingest(server.writeKey(), 1, id("visitor-c"), id("user-v"));
        ingest(otherWriteKey, 1, null, u);

        List<JsonNode> lines = lines(export(app, "user_id", u));
        assertThat(lines).extracting(l -> l.get("event_id").asText()).containsExactlyInAnyOrderElementsOf(uEvents);
        assertThat(lines(export(app, "user_id", id("nobody")))).isEmpty();
    }

    @Test
    void an_export_cut_short_by_a_database_failure_ends_with_an_error_line_never_half_an_event() throws Exception {
        String big = insertBigVisitor();
        try (InputStream body = openExport(big)) {
            byte[] first = body.readNBytes(64 * 1024);
            // The server is now blocked writing to this slow reader, between two fetches of its cursor.
            try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE datname = current_database() AND query LIKE '%to_jsonb(e)%' AND pid <> pg_backend_pid()""");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
            String text = new String(first, StandardCharsets.UTF_8)
                    + new String(body.readAllBytes(), StandardCharsets.UTF_8);
            String[] lines = text.split("\n");
            assertThat(lines.length).isBetween(2, 19_999);
            for (int i = 0; i < lines.length - 1; i++) {
                assertThat(JSON.readTree(lines[i]).get("visitor_id").asText()).as("line %d", i).isEqualTo(big);
            }
            assertThat(JSON.readTree(lines[lines.length - 1]).get("error").get("code").asText()).isNotBlank();
        }
        assertThat(count("SELECT count(*) FROM privacy_requests WHERE subject_hash = ? AND completed_at IS NULL",
                (Object) Secrets.sha256(big))).as("the cut export is not recorded as complete").isEqualTo(1);
    }

    @Test
    void refuses_a_third_concurrent_request_with_429_and_frees_the_slot_when_a_reader_goes_away() throws Exception {
        String big = insertBigVisitor();
        InputStream first = openExport(big);
        try (InputStream second = openExport(big)) {
            HttpResponse<String> third = delete(app, "{\"visitor_id\":\"" + id("waiting") + "\"}");
            assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(third.body()).get("error").get("code").asText()).isEqualTo("too_many_requests");
            first.close();
            HttpResponse<String> later = null;
            for (int i = 0; i < 100 && (later == null || later.statusCode() == 429); i++) {
                Thread.sleep(100);
                later = export(app, "visitor_id", id("later"));
            }
            assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
        }
    }

    /** 20,000 events of one visitor, about 18 MB of export: more than socket buffers hold, so a reader can stall it. */
    private static String insertBigVisitor() throws Exception {
        String big = id("visitor-big");
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO analytics_events (app_id, event_id, event_type, occurred_at, received_at, visitor_id, properties)
                SELECT ?, gen_random_uuid(), 'screenshot', now() - i * interval '1 second', now(), ?,
                       jsonb_build_object('pad', repeat('x', 500))
                FROM generate_series(1, 20000) i""")) {
            ps.setLong(1, app);
            ps.setString(2, big);
            ps.executeUpdate();
        }
        return big;
    }

    /** Starts an export and returns its body unread, so that the server stalls writing it. */
    private static InputStream openExport(String visitorId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/v1/apps/" + app + "/privacy/export?visitor_id=" + visitorId))
                .header("Authorization", "Bearer " + server.adminToken()).build();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void delete_removes_every_event_of_the_visitor_and_keeps_other_visitors() throws Exception {
        String a = id("visitor-a");
        String b = id("visitor-b");
        String u = id("user-u");
        ingest(server.writeKey(), 3, a, null);
        ingest(server.writeKey(), 2, b, null);
        ingest(server.writeKey(), 2, null, u);
        ingest(otherWriteKey, 2, a, null);

        HttpResponse<String> r = delete(app, "{\"visitor_id\":\"" + a + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.get("deleted").asLong()).isEqualTo(3);
        assertThat(answer.get("request_id").asLong()).isPositive();
        assertThat(answer.get("complete").asBoolean()).isTrue();

        assertThat(rowsEverywhere("visitor_id", a, app)).isZero();
        assertThat(lines(export(app, "visitor_id", a))).isEmpty();
        assertThat(count("SELECT count(*) FROM analytics_events WHERE app_id = ? AND visitor_id = ?", app, b)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM analytics_events WHERE app_id = ? AND user_id = ?", app, u)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM analytics_events WHERE app_id = ? AND visitor_id = ?", otherApp, a)).isEqualTo(2);
    }

    @Test
    void delete_removes_every_event_of_the_user_and_keeps_other_users() throws Exception {
        String u = id("user-u");
        String v = id("user-v");
        String a = id("visitor-a");
        ingest(server.writeKey(), 4, id("visitor-of-u"), u);
        ingest(server.writeKey(), 2, id("visitor-of-v"), v);
        ingest(server.writeKey(), 1, a, null);
        ingest(otherWriteKey, 2, null, u);

        HttpResponse<String> r = delete(app, "{\"user_id\":\"" + u + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("deleted").asLong()).isEqualTo(4);

        assertThat(rowsEverywhere("user_id", u, app)).isZero();
        assertThat(count("SELECT count(*) FROM analytics_events WHERE app_id = ? AND user_id = ?", app, v)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM analytics_events WHERE app_id = ? AND visitor_id = ?", app, a)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analytics_events WHERE app_id = ? AND user_id = ?", otherApp, u)).isEqualTo(2);
    }

    @Test
    void deletes_during_ingestion_of_the_same_visitor_never_fail_it_and_leave_nothing_once_it_stops() throws Exception {
        String a = id("visitor-a");
        String b = id("visitor-b");
        ingest(server.writeKey(), 20, a, null);
        ingest(server.writeKey(), 2, b, null);
        AtomicBoolean sending = new AtomicBoolean(true);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread sender = new Thread(() -> {
                while (sending.get()) {
                    StringBuilder batch = new StringBuilder("{\"events\":[");
                    for (int i = 0; i < 20; i++) {
                        batch.append(i == 0 ? "" : ",").append(event(a, null));
                    }
                    HttpResponse<String> r = server.ingest("/api/v1/analytics/batch", batch.append("]}").toString());
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                }
            });
            senders.add(sender);
            sender.start();
        }
        long deletedWhileSending = 0;
        try {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = delete(app, "{\"visitor_id\":\"" + a + "\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                deletedWhileSending += JSON.readTree(r.body()).get("deleted").asLong();
            }
        } finally {
            sending.set(false);
            for (Thread sender : senders) {
                sender.join(30_000);
            }
        }
        HttpResponse<String> last = delete(app, "{\"visitor_id\":\"" + a + "\"}");
        assertThat(last.statusCode()).as(last.body()).isEqualTo(200);
        assertThat(JSON.readTree(last.body()).get("complete").asBoolean()).isTrue();

        assertThat(statuses.keySet()).as("ingestion answers %s", statuses).containsExactly(200);
        assertThat(statuses.get(200)).isGreaterThan(5);
        assertThat(deletedWhileSending).isGreaterThanOrEqualTo(20);
        assertThat(rowsEverywhere("visitor_id", a, app)).isZero();
        assertThat(count("SELECT count(*) FROM analytics_events WHERE app_id = ? AND visitor_id = ?", app, b)).isEqualTo(2);
    }

    @Test
    void records_each_request_with_the_tokens_id_and_only_a_hash_of_the_subject() throws Exception {
        String a = id("visitor-audited");
        ingest(server.writeKey(), 2, a, null);
        assertThat(export(app, "visitor_id", a).statusCode()).isEqualTo(200);
        assertThat(delete(app, "{\"visitor_id\":\"" + a + "\"}").statusCode()).isEqualTo(200);

        long tokenId = count("SELECT id FROM admin_tokens WHERE token_hash = ?", (Object) Secrets.sha256(server.adminToken()));
        String hash = HexFormat.of().formatHex(Secrets.sha256(a));
        HttpResponse<String> r = server.admin("GET", "/api/v1/apps/" + app + "/privacy/requests", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> mine = new ArrayList<>();
        JSON.readTree(r.body()).get("requests").forEach(q -> {
            if (q.get("subject_hash").asText().equals(hash)) {
                mine.add(q);
            }
        });
        assertThat(mine).extracting(q -> q.get("action").asText()).containsExactly("delete", "export");
        for (JsonNode q : mine) {
            assertThat(q.get("subject_kind").asText()).isEqualTo("visitor_id");
            assertThat(q.get("actor").asLong()).isEqualTo(tokenId);
            assertThat(q.get("app_id").asLong()).isEqualTo(app);
            assertThat(q.get("row_count").asLong()).isEqualTo(2);
            assertThat(Instant.parse(q.get("completed_at").asText()))
                    .isAfterOrEqualTo(Instant.parse(q.get("requested_at").asText()));
        }

        String idAsHex = HexFormat.of().formatHex(a.getBytes(StandardCharsets.UTF_8));
        List<String> columns = strings("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = 'privacy_requests' AND data_type IN ('text', 'bytea', 'character varying')");
        assertThat(columns).contains("action", "subject_kind", "subject_hash");
        for (String column : columns) {
            for (String value : strings("SELECT " + column + "::text FROM privacy_requests")) {
                assertThat(value).as(column).doesNotContain(a).doesNotContainIgnoringCase(idAsHex);
            }
        }
        assertThat(count("SELECT count(*) FROM privacy_requests p WHERE p::text LIKE ?", "%" + a + "%")).isZero();
    }

    @Test
    void lists_requests_newest_first() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(export(app, "user_id", id("listed")).statusCode()).isEqualTo(200);
        }
        JsonNode requests = JSON.readTree(server.admin("GET", "/api/v1/apps/" + app + "/privacy/requests", null).body())
                .get("requests");
        assertThat(requests.size()).isBetween(3, 100);
        for (int i = 1; i < requests.size(); i++) {
            assertThat(requests.get(i - 1).get("id").asLong()).isGreaterThan(requests.get(i).get("id").asLong());
        }
    }

    @Test
    void refuses_callers_without_an_admin_token_even_with_the_apps_write_key() {
        String base = "/api/v1/apps/" + app + "/privacy/";
        List<Map<String, String>> credentials = List.of(
                Map.of(),
                Map.of("Authorization", "Bearer " + server.writeKey()),
                Map.of("X-Write-Key", server.writeKey()),
                Map.of("Authorization", "Bearer sla_not-a-token"));
        for (Map<String, String> headers : credentials) {
            assertThat(server.get(base + "export?visitor_id=x", headers).statusCode()).as(headers.toString()).isEqualTo(401);
            assertThat(server.get(base + "requests", headers).statusCode()).as(headers.toString()).isEqualTo(401);
            Map<String, String> post = new HashMap<>(headers);
            post.put("Content-Type", "application/json");
            assertThat(server.post(base + "delete", "{\"visitor_id\":\"x\"}", post).statusCode())
                    .as(headers.toString()).isEqualTo(401);
        }
    }

    @Test
    void refuses_neither_both_empty_or_overlong_ids_naming_the_field() throws Exception {
        String export = "/api/v1/apps/" + app + "/privacy/export";
        String long129 = "x".repeat(129);
        assertError(server.admin("GET", export, null), "missing_field", "visitor_id");
        assertError(server.admin("GET", export + "?visitor_id=a&user_id=b", null), "conflicting_fields", "user_id");
        assertError(server.admin("GET", export + "?visitor_id=", null), "invalid_value", "visitor_id");
        assertError(server.admin("GET", export + "?user_id=", null), "invalid_value", "user_id");
        assertError(server.admin("GET", export + "?user_id=" + long129, null), "too_long", "user_id");
        assertError(server.admin("GET", export + "?visitor_id=a&visitor_id=b", null), "invalid_value", "visitor_id");
        assertError(server.admin("GET", export + "?visitor_id=a%00b", null), "invalid_character", "visitor_id");
        assertThat(export(app, "visitor_id", "y".repeat(128)).statusCode()).isEqualTo(200);

        assertError(delete(app, "{}"), "missing_field", "visitor_id");
        assertError(delete(app, "{\"visitor_id\":null}"), "missing_field", "visitor_id");
        assertError(delete(app, "{\"visitor_id\":\"a\",\"user_id\":\"b\"}"), "conflicting_fields", "user_id");
        assertError(delete(app, "{\"visitor_id\":\"\"}"), "invalid_value", "visitor_id");
        assertError(delete(app, "{\"user_id\":\"\"}"), "invalid_value", "user_id");
        assertError(delete(app, "{\"visitor_id\":\"" + long129 + "\"}"), "too_long", "visitor_id");
        assertError(delete(app, "{\"user_id\":42}"), "invalid_type", "user_id");
        assertError(delete(app, "{\"email\":\"a@example.com\"}"), "unknown_field", "email");
        assertError(delete(app, "[\"a\"]"), "invalid_type", null);
        assertError(server.admin("GET", "/api/v1/apps/abc/privacy/requests", null), "invalid_value", "app");
        assertThat(count("SELECT count(*) FROM privacy_requests WHERE subject_hash = ?", (Object) Secrets.sha256(long129)))
                .as("refused requests are not recorded").isZero();
    }

    @Test
    void answers_404_for_an_unknown_app() throws Exception {
        assertError(export(999_999, "visitor_id", "a"), "not_found", null);
        assertError(delete(999_999, "{\"visitor_id\":\"a\"}"), "not_found", null);
        assertError(server.admin("GET", "/api/v1/apps/999999/privacy/requests", null), "not_found", null);
    }

    private static void assertError(HttpResponse<String> r, String code, String field) throws Exception {
        int status = code.equals("not_found") ? 404 : 400;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        if (field == null) {
            assertThat(error.get("field").isNull()).as(r.body()).isTrue();
        } else {
            assertThat(error.get("field").asText()).as(r.body()).isEqualTo(field);
        }
    }
}
