package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.rollup.RollupService;
import io.sightline.testing.MutableClock;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stats endpoint over generated data, answered once with the rolled-up days and once with the rollups hidden
 * (raw events only): exact counts and sums equal, unique counts within 2 %, and both equal to raw SQL.
 */
class StatsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-04-02T10:00:00Z");
    private static final Set<String> UNIQUES = Set.of("visitors", "sessions", "converted_visitors");
    private static MutableClock clock;
    private static TestServer server;
    private static PGSimpleDataSource dataSource;
    private static long app;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(NOW);
        server = TestServer.start(Map.of(), clock);
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setPassword(TestDatabase.server().password());
        app = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"berlin\",\"time_zone\":\"Europe/Berlin\"}")
                .body()).get("id").asLong();
        long other = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"other\"}").body()).get("id").asLong();
        token = JSON.readTree(server.admin("POST", "/api/v1/apps/" + app + "/api-tokens", "{\"label\":\"test\"}").body())
                .get("token").asText();
        StatsFixture fixture = new StatsFixture(dataSource, 42, 900);
        fixture.spread(app, Instant.parse("2026-01-20T00:00:00Z"), NOW, 14_000);
        fixture.spread(other, Instant.parse("2026-01-20T00:00:00Z"), NOW, 2_000);
        RollupService rollups = new RollupService(dataSource, clock);
        for (LocalDate day = LocalDate.parse("2026-01-20"); day.isBefore(LocalDate.parse("2026-04-02")); day = day.plusDays(1)) {
            rollups.rollUp(app, day);
            rollups.rollUp(other, day);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode get(String endpoint, String query) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/stats/" + endpoint + "?" + query,
                Map.of("Authorization", "Bearer " + token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The same request with every rollup_days row hidden: the contract says such days are read raw. */
    private static JsonNode getRaw(String endpoint, String query) throws Exception {
        try (Connection c = server.db(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS hidden_rollup_days (LIKE rollup_days)");
            s.execute("WITH moved AS (DELETE FROM rollup_days RETURNING *) INSERT INTO hidden_rollup_days SELECT * FROM moved");
        }
        try {
            JsonNode answer = get(endpoint, query);
            assertThat(answer.findValues("rolled_days")).allSatisfy(n -> assertThat(n.asInt()).isZero());
            return answer;
        } finally {
            try (Connection c = server.db(); Statement s = c.createStatement()) {
                s.execute("WITH moved AS (DELETE FROM hidden_rollup_days RETURNING *) INSERT INTO rollup_days SELECT * FROM moved");
            }
        }
    }

    /** Answered both ways; the rolled answer really used rollups and agrees with the raw one. */
    private static JsonNode bothWays(String endpoint, String query) throws Exception {
        JsonNode rolled = get(endpoint, query);
        assertThat(rolled.findValues("rolled_days")).anySatisfy(n -> assertThat(n.asInt()).isPositive());
        JsonNode raw = getRaw(endpoint, query);
        assertAgree("", rolled, raw);
        return rolled;
    }

    private static void assertAgree(String path, JsonNode rolled, JsonNode raw) {
        if (rolled.isObject()) {
            assertThat(iterable(rolled.fieldNames())).as(path).containsExactlyInAnyOrderElementsOf(iterable(raw.fieldNames()));
            for (Iterator<String> it = rolled.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                String at = path + "." + name;
                if (name.equals("rolled_days") || name.equals("rolled_months") || name.equals("change")) {
                    continue; // change is derived from the compared figures
                } else if (UNIQUES.contains(name)) {
                    assertWithin(at, rolled.get(name).asDouble(), raw.get(name).asDouble(), 0.02);
                } else if (name.equals("conversion_rate")) {
                    assertWithin(at, rolled.get(name).asDouble(), raw.get(name).asDouble(), 0.03);
                } else if (name.equals("value") && rolled.get(name).isNumber()) {
                    assertThat(rolled.get(name).decimalValue()).as(at).isEqualByComparingTo(raw.get(name).decimalValue());
                } else {
                    assertAgree(at, rolled.get(name), raw.get(name));
                }
            }
        } else if (rolled.isArray()) {
            assertThat(rolled.size()).as(path).isEqualTo(raw.size());
            for (int i = 0; i < rolled.size(); i++) {
                assertAgree(path + "[" + i + "]", rolled.get(i), raw.get(i));
            }
        } else {
            assertThat(rolled).as(path).isEqualTo(raw);
        }
    }

    private static void assertWithin(String at, double actual, double expected, double tolerance) {
        assertThat(Math.abs(actual - expected)).as(at + ": " + actual + " vs " + expected)
                .isLessThanOrEqualTo(Math.max(1e-9, expected * tolerance));
    }

    private static Iterable<String> iterable(Iterator<String> it) {
        java.util.List<String> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    private static Map<String, Long> sqlCounts(String sql, Object... params) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static final String BERLIN_RANGE = "SELECT %s FROM analytics_events WHERE app_id = ?"
            + " AND occurred_at >= '2026-02-01 00:00 Europe/Berlin' AND occurred_at < '2026-04-03 00:00 Europe/Berlin'";

    @Test
    void summary_from_rollups_and_today_raw_equals_raw_sql() throws Exception {
        JsonNode s = bothWays("summary", "from=2026-02-01&to=2026-04-02");
        JsonNode current = s.get("current");
        assertThat(current.get("rolled_days").asInt()).isEqualTo(60); // 1 Feb to 1 Apr; today is raw
        Map<String, Long> byType = sqlCounts(String.format(BERLIN_RANGE, "event_type, count(*)") + " GROUP BY 1", app);
        byType.forEach((type, n) -> assertThat(current.get("events_by_type").get(type).asLong()).as(type).isEqualTo(n));
        assertThat(current.get("events").asLong()).isEqualTo(byType.values().stream().mapToLong(Long::longValue).sum());
        long visitors = sqlCounts(String.format(BERLIN_RANGE, "'v', count(DISTINCT visitor_id)"), app).get("v");
        assertWithin("visitors", current.get("visitors").asDouble(), visitors, 0.02);
        long converted = sqlCounts(String.format(BERLIN_RANGE, "'v', count(DISTINCT visitor_id)")
                + " AND event_type = 'conversion'", app).get("v");
        assertWithin("converted", current.get("converted_visitors").asDouble(), converted, 0.02);
        assertThat(current.get("conversion_rate").asDouble()).isCloseTo((double) converted / visitors,
                org.assertj.core.data.Offset.offset(0.01));
        Map<String, Long> cents = sqlCounts(String.format(BERLIN_RANGE,
                "properties->>'currency', (100 * sum((properties->>'value')::numeric))::bigint")
                + " AND event_type = 'conversion' AND properties->>'currency' IS NOT NULL GROUP BY 1", app);
        assertThat(current.get("conversion_value")).hasSize(cents.size());
        for (JsonNode v : current.get("conversion_value")) {
            assertThat(v.get("value").decimalValue().movePointRight(2).longValueExact())
                    .isEqualTo(cents.get(v.get("currency").asText()));
        }
        assertThat(s.get("previous").get("rolled_days").asInt()).isPositive();
    }

    @Test
    void today_rolled_so_far_is_read_from_its_rows_and_raw_after_until_with_the_same_answers() throws Exception {
        LocalDate today = LocalDate.ofInstant(NOW, java.time.ZoneId.of("Europe/Berlin"));
        Instant until = NOW.minus(java.time.Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        new RollupService(dataSource, clock).rollUpSoFar(app, today, until);
        try {
            long before = sqlCounts("SELECT 'n', count(*) FROM analytics_events WHERE app_id = ? AND occurred_at >= ?"
                    + " AND occurred_at < ?", app, java.sql.Timestamp.from(today.atStartOfDay(java.time.ZoneId.of(
                    "Europe/Berlin")).toInstant()), java.sql.Timestamp.from(until)).get("n");
            long after = sqlCounts("SELECT 'n', count(*) FROM analytics_events WHERE app_id = ? AND occurred_at >= ?",
                    app, java.sql.Timestamp.from(until)).get("n");
            assertThat(before).isPositive();
            assertThat(after).isPositive(); // both parts of today have events

            JsonNode summary = bothWays("summary", "from=2026-02-01&to=" + today);
            assertThat(summary.get("current").get("rolled_days").asInt()).isEqualTo(61); // 1 Feb to today
            JsonNode days = bothWays("timeseries", "from=2026-03-20&to=" + today + "&interval=day");
            assertThat(days.get("rolled_days").asInt()).isEqualTo(14);
            assertThat(days.get("buckets").get(13).get("events").asLong()).isEqualTo(before + after);
            bothWays("timeseries", "from=2026-03-01&to=" + today + "&interval=month");
            bothWays("breakdown", "by=country&from=2026-03-20&to=" + today);
            // A range ending before the day's end does not take the day's rows: it is read raw.
            JsonNode partOfToday = get("summary", "from=" + today.atStartOfDay(java.time.ZoneId.of("Europe/Berlin"))
                    .toInstant() + "&to=" + until.plusSeconds(60));
            assertThat(partOfToday.get("current").get("rolled_days").asInt()).isZero();
        } finally {
            try (Connection c = server.db(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM rollup_days WHERE until IS NOT NULL");
                st.execute("DELETE FROM analytics_daily_stats WHERE day = '" + today + "'");
                st.execute("DELETE FROM analytics_daily_values WHERE day = '" + today + "'");
            }
        }
    }

    @Test
    void summary_with_an_equality_filter_reads_that_dimensions_rollup_rows() throws Exception {
        JsonNode s = bothWays("summary", "from=2026-02-01&to=2026-04-02&filter=country:eq:DE&event_type=qr_scan,conversion");
        Map<String, Long> byType = sqlCounts(String.format(BERLIN_RANGE, "event_type, count(*)")
                + " AND country = 'DE' AND event_type IN ('qr_scan', 'conversion') GROUP BY 1", app);
        assertThat(s.get("current").get("events_by_type").size()).isEqualTo(2);
        byType.forEach((type, n) -> assertThat(s.get("current").get("events_by_type").get(type).asLong()).isEqualTo(n));
    }

    @Test
    void filters_the_rollups_cannot_answer_are_read_raw_with_the_same_result() throws Exception {
        JsonNode s = get("summary", "from=2026-02-01&to=2026-04-02&filter=os:in:iOS,Android&filter=browser:neq:Safari");
        assertThat(s.get("current").get("rolled_days").asInt()).isZero();
        long events = sqlCounts(String.format(BERLIN_RANGE, "'n', count(*)")
                + " AND os IN ('iOS', 'Android') AND browser IS DISTINCT FROM 'Safari'", app).get("n");
        assertThat(s.get("current").get("events").asLong()).isEqualTo(events);
    }

    @Test
    void summary_over_partial_days_reads_their_edges_raw() throws Exception {
        JsonNode s = bothWays("summary", "from=2026-03-01T05:30:00Z&to=2026-03-20T17:00:00Z");
        long events = sqlCounts("SELECT 'n', count(*) FROM analytics_events WHERE app_id = ?"
                + " AND occurred_at >= '2026-03-01T05:30:00Z' AND occurred_at < '2026-03-20T17:00:00Z'", app).get("n");
        assertThat(s.get("current").get("events").asLong()).isEqualTo(events);
        assertThat(s.get("current").get("rolled_days").asInt()).isEqualTo(18); // 2 to 19 March
    }

    @Test
    void a_day_with_a_late_event_mark_is_read_raw_and_the_answer_does_not_change() throws Exception {
        JsonNode before = get("summary", "from=2026-03-01&to=2026-03-31");
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO rollup_dirty (app_id, day, marked_at) VALUES (?, '2026-03-10', now())")) {
            ps.setLong(1, app);
            ps.executeUpdate();
        }
        try {
            JsonNode after = get("summary", "from=2026-03-01&to=2026-03-31");
            assertThat(after.get("current").get("rolled_days").asInt())
                    .isEqualTo(before.get("current").get("rolled_days").asInt() - 3); // 9, 10 and 11 March
            assertAgree("", after.get("current"), before.get("current"));
        } finally {
            try (Connection c = server.db(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM rollup_dirty");
            }
        }
    }

    @Test
    void daily_timeseries_buckets_by_local_days_and_equals_raw_sql() throws Exception {
        JsonNode t = bothWays("timeseries", "from=2026-03-20&to=2026-04-02&interval=day");
        Map<String, Long> days = sqlCounts("SELECT date_trunc('day', occurred_at AT TIME ZONE 'Europe/Berlin')::date::text,"
                + " count(*) FROM analytics_events WHERE app_id = ? AND occurred_at >= '2026-03-20 00:00 Europe/Berlin'"
                + " AND occurred_at < '2026-04-03 00:00 Europe/Berlin' GROUP BY 1", app);
        assertThat(t.get("buckets")).hasSize(14);
        for (JsonNode b : t.get("buckets")) {
            String day = b.get("start").asText().substring(0, 10);
            assertThat(b.get("events").asLong()).as(day).isEqualTo(days.getOrDefault(day, 0L));
        }
    }

    @Test
    void daily_buckets_use_each_rows_stored_counts_and_rows_without_them_their_sketches() throws Exception {
        String query = "from=2026-03-20&to=2026-04-02&interval=day";
        JsonNode counted = bothWays("timeseries", query);
        JsonNode typed = bothWays("timeseries", query + "&event_type=placement");
        try (Connection c = server.db(); Statement s = c.createStatement()) {
            // As rows rolled before V10 are: no stored counts.
            s.execute("CREATE TABLE saved_counts AS SELECT app_id, day, event_type, dimension, value, visitor_count,"
                    + " session_count FROM analytics_daily_stats");
            s.execute("UPDATE analytics_daily_stats SET visitor_count = NULL, session_count = NULL");
        }
        try {
            assertThat(get("timeseries", query)).isEqualTo(counted);
            assertThat(get("timeseries", query + "&event_type=placement")).isEqualTo(typed);
        } finally {
            try (Connection c = server.db(); Statement s = c.createStatement()) {
                s.execute("UPDATE analytics_daily_stats d SET visitor_count = x.visitor_count, session_count ="
                        + " x.session_count FROM saved_counts x WHERE (d.app_id, d.day, d.event_type, d.dimension,"
                        + " d.value) = (x.app_id, x.day, x.event_type, x.dimension, x.value)");
                s.execute("DROP TABLE saved_counts");
            }
        }
        long stored;
        try (Connection c = server.db(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM analytics_daily_stats WHERE visitor_count IS NULL")) {
            rs.next();
            stored = rs.getLong(1);
        }
        assertThat(stored).isZero();
    }

    @Test
    void weekly_and_monthly_timeseries_agree_with_and_without_rollups() throws Exception {
        JsonNode weeks = bothWays("timeseries", "from=2026-02-01&to=2026-04-02&interval=week");
        assertThat(weeks.get("buckets").get(0).get("start").asText()).isEqualTo("2026-01-26T00:00:00"); // a Monday
        JsonNode months = bothWays("timeseries", "from=2026-02-01&to=2026-04-02&interval=month&event_type=conversion");
        assertThat(months.get("buckets")).extracting(b -> b.get("start").asText())
                .containsExactly("2026-02-01T00:00:00", "2026-03-01T00:00:00", "2026-04-01T00:00:00");
        long march = sqlCounts("SELECT 'n', count(*) FROM analytics_events WHERE app_id = ? AND event_type = 'conversion'"
                + " AND occurred_at >= '2026-03-01 00:00 Europe/Berlin' AND occurred_at < '2026-04-01 00:00 Europe/Berlin'",
                app).get("n");
        assertThat(months.get("buckets").get(1).get("events").asLong()).isEqualTo(march);
    }

    @Test
    void hourly_timeseries_is_read_raw_in_the_requested_zone() throws Exception {
        JsonNode t = get("timeseries", "from=2026-03-29&to=2026-03-29&interval=hour&tz=" + enc("Europe/Berlin"));
        assertThat(t.get("rolled_days").asInt()).isZero();
        long total = 0;
        for (JsonNode b : t.get("buckets")) {
            total += b.get("events").asLong();
        }
        long day = sqlCounts("SELECT 'n', count(*) FROM analytics_events WHERE app_id = ?"
                + " AND occurred_at >= '2026-03-29 00:00 Europe/Berlin' AND occurred_at < '2026-03-30 00:00 Europe/Berlin'",
                app).get("n");
        assertThat(total).isEqualTo(day);
        assertThat(t.get("buckets").get(2).get("start").asText()).isEqualTo("2026-03-29T03:00:00"); // 02:00 does not exist
    }

    @Test
    void another_time_zone_than_the_rollups_is_read_raw_and_bucketed_in_that_zone() throws Exception {
        JsonNode t = get("timeseries", "from=2026-03-10&to=2026-03-12&interval=day&tz=" + enc("America/New_York"));
        assertThat(t.get("rolled_days").asInt()).isZero();
        assertThat(t.get("time_zone").asText()).isEqualTo("America/New_York");
        Map<String, Long> days = sqlCounts("SELECT date_trunc('day', occurred_at AT TIME ZONE 'America/New_York')::date::text,"
                + " count(*) FROM analytics_events WHERE app_id = ? AND occurred_at >= '2026-03-10 00:00 America/New_York'"
                + " AND occurred_at < '2026-03-13 00:00 America/New_York' GROUP BY 1", app);
        assertThat(t.get("buckets")).extracting(b -> b.get("events").asLong())
                .containsExactly(days.get("2026-03-10"), days.get("2026-03-11"), days.get("2026-03-12"));
    }

    @Test
    void breakdown_pages_through_top_values_the_same_with_and_without_rollups() throws Exception {
        JsonNode first = bothWays("breakdown", "from=2026-02-01&to=2026-04-02&by=qr_code_id&limit=5");
        JsonNode second = bothWays("breakdown", "from=2026-02-01&to=2026-04-02&by=qr_code_id&limit=5&page=2");
        Map<String, Long> top = sqlCounts(String.format(BERLIN_RANGE, "coalesce(properties->>'qr_code_id', ''), count(*)")
                + " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10", app);
        java.util.List<String> values = new java.util.ArrayList<>();
        first.get("values").forEach(v -> values.add(v.get("value").asText()));
        second.get("values").forEach(v -> values.add(v.get("value").asText()));
        assertThat(values).containsExactlyElementsOf(top.keySet());
        assertThat(first.get("values").get(0).get("events").asLong()).isEqualTo(top.values().iterator().next());
        assertThat(first.get("has_more").asBoolean()).isTrue();
    }

    @Test
    void breakdown_by_the_filtered_dimension_and_by_country_with_unset_values() throws Exception {
        JsonNode countries = bothWays("breakdown", "from=2026-02-01&to=2026-04-02&by=country&event_type=qr_scan");
        Map<String, Long> sql = sqlCounts(String.format(BERLIN_RANGE, "coalesce(country, ''), count(*)")
                + " AND event_type = 'qr_scan' GROUP BY 1 ORDER BY 2 DESC, 1", app);
        assertThat(countries.get("values")).extracting(v -> v.get("value").asText()).containsExactlyElementsOf(sql.keySet());
        assertThat(countries.get("values")).extracting(v -> v.get("events").asLong()).containsExactlyElementsOf(sql.values());
        JsonNode ios = bothWays("breakdown", "from=2026-02-01&to=2026-04-02&by=os&filter=os:eq:iOS");
        assertThat(ios.get("values")).hasSize(1);
        JsonNode crossed = get("breakdown", "from=2026-02-01&to=2026-04-02&by=os&filter=country:eq:DE");
        assertThat(crossed.get("rolled_days").asInt()).isZero();
    }

    @Test
    void unknown_dimension_in_a_filter_or_breakdown_is_a_400_naming_it() throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/stats/summary?filter=planet:eq:Mars",
                Map.of("Authorization", "Bearer " + token));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("unknown_dimension");
        assertThat(error.get("message").asText()).contains("planet");
        r = server.get("/api/v1/apps/" + app + "/stats/breakdown?by=planet", Map.of("Authorization", "Bearer " + token));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").get("field").asText()).isEqualTo("by");
        r = server.get("/api/v1/apps/" + app + "/stats/timeseries?interval=hour&from=2026-01-01&to=2026-03-31",
                Map.of("Authorization", "Bearer " + token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").get("code").asText()).isEqualTo("too_many_buckets");
    }

    /** The same request with the monthly rollups hidden: whole months are then read from the daily rollups. */
    private static JsonNode getWithoutMonths(String endpoint, String query) throws Exception {
        try (Connection c = server.db(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS hidden_rollup_months (LIKE rollup_months)");
            s.execute("WITH moved AS (DELETE FROM rollup_months RETURNING *) INSERT INTO hidden_rollup_months SELECT * FROM moved");
        }
        try {
            JsonNode answer = get(endpoint, query);
            assertThat(answer.findValues("rolled_months")).allSatisfy(n -> assertThat(n.asInt()).isZero());
            return answer;
        } finally {
            try (Connection c = server.db(); Statement s = c.createStatement()) {
                s.execute("WITH moved AS (DELETE FROM hidden_rollup_months RETURNING *) INSERT INTO rollup_months SELECT * FROM moved");
            }
        }
    }

    @Test
    void whole_months_are_read_from_monthly_rollups_and_agree_with_daily_rollups_and_raw_events() throws Exception {
        // 2026-01-25 to 2026-04-01 in Berlin: February and March whole and rolled, the rest days and today raw.
        String range = "from=2026-01-25&to=2026-04-02";
        for (String[] question : new String[][] {{"summary", range}, {"breakdown", "by=country&" + range},
                {"breakdown", "by=city&limit=5&" + range}, {"timeseries", "interval=month&" + range},
                {"breakdown", "by=os&event_type=conversion&" + range}, {"summary", "filter=country:eq:DE&" + range}}) {
            String at = question[0] + "?" + question[1];
            JsonNode months = bothWays(question[0], question[1]);
            assertThat(months.findValues("rolled_months")).as(at).anySatisfy(n -> assertThat(n.asInt()).isEqualTo(2));
            assertThat(months.findValues("rolled_days")).as(at).anySatisfy(n -> assertThat(n.asInt()).isEqualTo(67));
            assertAgree(at, months, getWithoutMonths(question[0], question[1]));
        }
        JsonNode days = get("timeseries", "interval=day&" + range);
        assertThat(days.get("rolled_months").asInt()).isZero();
        assertThat(days.get("rolled_days").asInt()).isEqualTo(67);
    }
}
