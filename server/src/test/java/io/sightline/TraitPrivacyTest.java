package io.sightline;

import io.sightline.testing.ServerProcess;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
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
 * Raw traits never rest anywhere: events with an email, a phone and an external id go through the real server (its
 * own process, logging at DEBUG), accepted and refused, on /track and /batch; then every column of every row of
 * every table, and the whole server log, are searched for those values in their raw and normalised forms.
 */
class TraitPrivacyTest {
    private static final String EMAIL = " Grace.Hopper@Navy.Example ";
    private static final String PHONE = "+1 (202) 555-0147";
    private static final String EXTERNAL_ID = "crm-Grace-1906";
    private static final String NATIONAL_PHONE = "(202) 555-0148";

    @Test
    void no_table_and_no_log_line_holds_a_raw_email_phone_or_external_id(@TempDir Path dir) throws Exception {
        String url = TestDatabase.createDatabase();
        Map<String, String> env = Map.of(
                "SIGHTLINE_DATABASE_URL", url,
                "SIGHTLINE_DATABASE_USER", "postgres",
                "SIGHTLINE_DATABASE_PASSWORD", TestDatabase.server().password());
        Path log = dir.resolve("server.log");
        String traits = "{\"email\":\"" + EMAIL + "\",\"phone\":\"" + PHONE + "\",\"external_id\":\"" + EXTERNAL_ID + "\"}";
        try (ServerProcess server = new ServerProcess(env, log,
                List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug")).start()) {
            String key = server.writeKey();
            send(server, key, "/track", "{\"type\":\"conversion\",\"properties\":{\"cta_id\":\"buy\"},"
                    + "\"user_id\":\"u-1\",\"context\":{\"traits\":" + traits + "}}", 200);
            send(server, key, "/batch", "{\"events\":[{\"type\":\"screenshot\",\"user_id\":\"u-1\",\"context\":{\"traits\":"
                    + traits + "}},{\"type\":\"screenshot\",\"context\":{\"traits\":{\"phone\":\"" + NATIONAL_PHONE
                    + "\",\"email\":\"" + EMAIL + "\"}}},{\"type\":\"screenshot\",\"context\":{\"consent\":"
                    + "{\"analytics\":false},\"traits\":" + traits + "}}]}", 200);
            // Refused: a phone without country code, an unknown trait holding an email, a body cut short.
            send(server, key, "/track", "{\"type\":\"screenshot\",\"context\":{\"traits\":{\"email\":\"" + EMAIL
                    + "\",\"phone\":\"" + NATIONAL_PHONE + "\"}}}", 400);
            send(server, key, "/track", "{\"type\":\"screenshot\",\"context\":{\"traits\":{\"mail\":\"" + EMAIL
                    + "\"}}}", 400);
            send(server, key, "/track", "{\"type\":\"screenshot\",\"context\":{\"traits\":" + traits, 400);
            // A GDPR export writes the subject's events somewhere too: it must carry only hashes.
            HttpResponse<String> export = TestServer.send(HttpRequest.newBuilder(
                            server.uri("/api/v1/apps/1/privacy/export?user_id=u-1"))
                    .header("Authorization", "Bearer " + server.adminToken()).GET().build());
            assertThat(export.body()).contains(sha256("grace.hopper@navy.example"));
            for (String form : forms()) {
                assertThat(export.body().toLowerCase(Locale.ROOT)).as("the export").doesNotContain(form);
            }
            server.terminate(Duration.ofSeconds(30));
        }

        List<String> rows = everyRowOfEveryTable(url);
        assertThat(String.join("\n", rows)).as("the hashes were stored")
                .contains(sha256("grace.hopper@navy.example"), sha256("12025550147"), sha256("+12025550147"),
                        sha256(EXTERNAL_ID));
        String output = Files.readString(log, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        assertThat(output).contains("debug").contains("stopped"); // the log really was at DEBUG, and complete
        for (String form : forms()) {
            assertThat(rows).as("rows holding " + form).noneMatch(row -> row.contains(form));
            assertThat(output).as("the server log").doesNotContain(form);
        }
    }

    private static void send(ServerProcess server, String key, String path, String json, int status) {
        HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(server.uri("/api/v1/analytics" + path))
                .header("Content-Type", "application/json").header("X-Write-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        for (String form : forms()) {
            assertThat(r.body().toLowerCase(Locale.ROOT)).as("the answer").doesNotContain(form);
        }
    }

    /** Lower-cased, since rows and log are searched lower-cased: each value raw, trimmed, normalised, hex-encoded. */
    private static Set<String> forms() {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : List.of(EMAIL.strip(), PHONE, EXTERNAL_ID, NATIONAL_PHONE, "12025550147", "2025550147",
                "2025550148", "202) 555-0147", "555-0147", "555-0148")) {
            forms.add(value.toLowerCase(Locale.ROOT));
            forms.add(HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)));
        }
        forms.add("grace.hopper");
        return forms;
    }

    /**
     * Every table of every schema of ours (information_schema lists partitions and Flyway's history too), each row
     * with all its columns as one lower-cased text ({@code t::text}; bytea appears as hex).
     */
    private static List<String> everyRowOfEveryTable(String url) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestDatabase.connect(url); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)"
                    + " FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                    + " AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).anyMatch(t -> t.contains("analytics_events_p")).anyMatch(t -> t.contains("privacy_requests"));
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rs.next()) {
                        rows.add(table + ": " + rs.getString(1).toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return rows;
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
