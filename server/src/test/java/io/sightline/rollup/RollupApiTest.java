package io.sightline.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.Sightline;
import io.sightline.config.Config;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The backfill routes and the rollup command, against the real server and its database. */
class RollupApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static TestServer server;
    private static long app;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("SIGHTLINE_JOBS", "false"), Clock.systemUTC());
        app = JSON.readTree(server.admin("GET", "/api/v1/apps", null).body()).get("apps").get(0).get("id").asLong();
        try (var pool = new PoolOf(server.jdbcUrl())) {
            Instant from = TODAY.minusDays(20).atStartOfDay(ZoneOffset.UTC).toInstant();
            new EventFixture(pool.dataSource(), 11, 300).insert(app, from, from.plus(Duration.ofDays(10)), 2_000);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_backfill_rolls_the_range_in_the_background_and_reports_its_progress() throws Exception {
        HttpResponse<String> started = backfill("{\"from\":\"" + TODAY.minusDays(20) + "\",\"to\":\"" + TODAY.minusDays(11) + "\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        String id = JSON.readTree(started.body()).get("id").asText();
        JsonNode status = awaitFinished(id);
        assertThat(status.get("state").asText()).isEqualTo("done");
        assertThat(status.get("days_total").asInt()).isEqualTo(10);
        assertThat(status.get("days_done").asInt()).isEqualTo(10);
        assertThat(status.get("started_at").asText()).isNotEmpty();
        assertThat(status.get("finished_at").asText()).isNotEmpty();
        assertThat(status.get("error").isNull()).isTrue();
        assertThat(query("SELECT count(*), sum(events) FROM rollup_days WHERE day BETWEEN '" + TODAY.minusDays(20)
                + "' AND '" + TODAY.minusDays(11) + "'")).isEqualTo("10 2000");
    }

    @Test
    void a_second_backfill_of_the_same_app_is_refused_while_the_first_runs() throws Exception {
        HttpResponse<String> first = backfill("{\"from\":\"" + TODAY.minusDays(300) + "\",\"to\":\"" + TODAY.minusDays(2) + "\"}");
        assertThat(first.statusCode()).isEqualTo(202);
        HttpResponse<String> second = backfill("{\"from\":\"" + TODAY.minusDays(5) + "\",\"to\":\"" + TODAY.minusDays(2) + "\"}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body()).contains("backfill_running");
        JsonNode done = awaitFinished(JSON.readTree(first.body()).get("id").asText());
        assertThat(done.get("state").asText()).isEqualTo("done");
        assertThat(done.get("days_done").asInt()).isEqualTo(299);
    }

    @Test
    void a_bad_backfill_request_is_a_400_naming_the_field() {
        assertBad("{\"to\":\"" + TODAY.minusDays(2) + "\"}", "from");
        assertBad("{\"from\":\"2026-13-01\",\"to\":\"" + TODAY.minusDays(2) + "\"}", "from");
        assertBad("{\"from\":20260101,\"to\":\"" + TODAY.minusDays(2) + "\"}", "from");
        assertBad("{\"from\":\"" + TODAY.minusDays(2) + "\",\"to\":\"" + TODAY.minusDays(3) + "\"}", "from");
        assertBad("{\"from\":\"" + TODAY.minusDays(2) + "\",\"to\":\"" + TODAY + "\"}", "to");
        assertBad("{\"from\":\"" + TODAY.minusDays(400) + "\",\"to\":\"" + TODAY.minusDays(2) + "\"}", "from");
        assertBad("{\"from\":\"" + TODAY.minusDays(2) + "\",\"to\":\"" + TODAY.minusDays(1) + "\",\"x\":1}", "x");
    }

    @Test
    void backfill_routes_need_an_admin_token_and_an_existing_app_and_backfill() {
        HttpResponse<String> withWriteKey = server.post("/api/v1/apps/" + app + "/rollups/backfill",
                "{\"from\":\"" + TODAY.minusDays(2) + "\",\"to\":\"" + TODAY.minusDays(2) + "\"}",
                Map.of("Content-Type", "application/json", "X-Write-Key", server.writeKey()));
        assertThat(withWriteKey.statusCode()).isEqualTo(401);
        assertThat(server.admin("POST", "/api/v1/apps/999999/rollups/backfill",
                "{\"from\":\"" + TODAY.minusDays(2) + "\",\"to\":\"" + TODAY.minusDays(2) + "\"}").statusCode()).isEqualTo(404);
        assertThat(server.admin("GET", "/api/v1/apps/" + app + "/rollups/backfill/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void the_rollup_command_rolls_a_range_prints_each_day_and_exits_0() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Sightline.rollupCommand(config(), new String[]{"--app=" + app, "--from=" + TODAY.minusDays(15),
                "--to=" + TODAY.minusDays(14)}, new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(printed).contains(TODAY.minusDays(15) + "  ").contains("(1/2,").contains("(2/2,")
                .contains("rolled up 2 days of app " + app);
        assertThat(query("SELECT count(*), count(*) FROM rollup_days WHERE day IN ('" + TODAY.minusDays(15) + "', '"
                + TODAY.minusDays(14) + "')")).isEqualTo("2 2");
    }

    @Test
    void the_rollup_command_exits_2_on_bad_arguments_and_1_for_an_unknown_app() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(Sightline.rollupCommand(config(), new String[]{"--app=" + app, "--from=yesterday"}, print)).isEqualTo(2);
        assertThat(Sightline.rollupCommand(config(), new String[]{"--app=" + app, "--from=" + TODAY,
                "--to=" + TODAY}, print)).isEqualTo(2);
        assertThat(Sightline.rollupCommand(config(), new String[]{"--app=999999", "--from=" + TODAY.minusDays(3),
                "--to=" + TODAY.minusDays(3)}, print)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: rollup").contains("to: to must be a finished day");
    }

    @Test
    void the_servers_own_scheduled_job_rolls_finished_days_without_being_asked() throws Exception {
        try (TestServer withJobs = TestServer.start(
                Map.of("SIGHTLINE_JOBS", "true", "SIGHTLINE_DEVICE_DETECTION", "false"), Clock.systemUTC())) {
            long defaultApp = JSON.readTree(withJobs.admin("GET", "/api/v1/apps", null).body()).get("apps").get(0)
                    .get("id").asLong();
            try (var pool = new PoolOf(withJobs.jdbcUrl())) {
                Instant day = TODAY.minusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant();
                new EventFixture(pool.dataSource(), 12, 10).insert(defaultApp, day, day.plus(Duration.ofDays(1)), 50);
            }
            // The job ran once at start (before these events); the next run rolls the event day and every finished
            // day after it (yesterday is finished 5 minutes after midnight).
            LocalDate lastFinished = LocalDate.ofInstant(Instant.now().minus(Duration.ofMinutes(5)), ZoneOffset.UTC)
                    .minusDays(1);
            String expected = (lastFinished.toEpochDay() - TODAY.minusDays(3).toEpochDay() + 1) + " 50";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String rolled = "";
            while (System.nanoTime() < deadline) {
                try (Connection c = withJobs.db(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(events), 0) FROM rollup_days WHERE until IS NULL")) {
                    rs.next();
                    rolled = rs.getLong(1) + " " + rs.getLong(2);
                }
                if (rolled.equals(expected)) {
                    break;
                }
                try (Connection c = withJobs.db(); Statement s = c.createStatement()) {
                    // make the recurring execution due now instead of in 5 minutes
                    s.execute("UPDATE scheduled_tasks SET execution_time = now() WHERE task_name = 'sightline-rollup'"
                            + " AND NOT picked");
                }
                Thread.sleep(200);
            }
            assertThat(rolled).isEqualTo(expected);
        }
    }

    private static Config config() {
        return Config.load(Map.of("SIGHTLINE_DATABASE_URL", server.jdbcUrl(), "SIGHTLINE_DATABASE_USER", "postgres",
                "SIGHTLINE_DATABASE_PASSWORD", TestDatabase.server().password()));
    }

    private static HttpResponse<String> backfill(String body) {
        return server.admin("POST", "/api/v1/apps/" + app + "/rollups/backfill", body);
    }

    private static void assertBad(String body, String field) {
        HttpResponse<String> response = backfill(body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        try {
            assertThat(JSON.readTree(response.body()).get("error").get("field").asText()).as(body).isEqualTo(field);
        } catch (Exception e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static JsonNode awaitFinished(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = server.admin("GET", "/api/v1/apps/" + app + "/rollups/backfill/" + id, null);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode status = JSON.readTree(r.body());
            String state = status.get("state").asText();
            if (!state.equals("queued") && !state.equals("running") || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(50);
        }
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = server.db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1) + " " + rs.getLong(2);
        }
    }
}
