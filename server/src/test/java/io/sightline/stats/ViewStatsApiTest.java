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

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views as stats dimensions and funnel steps: screen_view events sent through ingestion over three finished days and
 * today, among screenshots and the placements and conversions of funnel visitors. Breakdowns by path, screen_name and
 * referrer_domain, rolled and raw, a path filter, and the funnel screen_view,placement,conversion each equal a count
 * made here from what was sent; the referrer's domain is worked out here with java.net.URI, not with the server's SQL.
 */
class ViewStatsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-04-02T10:00:00Z");
    private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
    private static final String[] PATHS = {"/ar/chair", "/ar/chair", "/ar/sofa", "/", "/catalogue/oak%20chair"};
    private static final String[] NAMES = {"Chair", "Sofa", "Frühling 🌷", null};
    private static final String[] REFERRERS = {"https://www.Google.com/search?q=chair", "https://news.example.org/a",
            "http://user@WWW.Example.org:8080/x", "android-app://com.google.android.gm/", "", null};
    private static final long WINDOW_MS = Duration.ofHours(1).toMillis();

    /** One event as sent: a view's path, name and referrer are null when it had none (and for other types). */
    private record Sent(String visitor, Instant at, String type, String path, String name, String referrer) {
        String dimension(String by) {
            String value = switch (by) {
                case "path" -> path;
                case "screen_name" -> name;
                default -> domain(referrer);
            };
            return value == null ? "" : value;
        }
    }

    private static final List<Sent> SENT = new ArrayList<>();
    private static TestServer server;
    private static long app;
    private static String token;
    private static String writeKey;

    @BeforeAll
    static void start() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        server = TestServer.start(Map.of(), clock);
        JsonNode created = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"views\"}").body());
        app = created.get("id").asLong();
        writeKey = created.get("write_key").asText();
        token = JSON.readTree(server.admin("POST", "/api/v1/apps/" + app + "/api-tokens", "{\"label\":\"t\"}").body())
                .get("token").asText();

        Random random = new Random(17);
        Instant from = TODAY.minusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant();
        long span = Duration.between(from, NOW.minusSeconds(60)).toMillis();
        for (int batch = 0; batch < 2; batch++) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Instant at = from.plusMillis((long) (random.nextDouble() * span));
                String visitor = "v-" + random.nextInt(40);
                events.add(random.nextInt(10) < 7 ? view(random, visitor, at) : other("screenshot", visitor, at));
            }
            send(events);
        }
        // Funnel visitors: a few views, placements and conversions each, minutes apart, two days ago.
        Instant morning = TODAY.minusDays(2).atTime(8, 0).toInstant(ZoneOffset.UTC);
        List<String> funnel = new ArrayList<>();
        for (int v = 0; v < 60; v++) {
            int n = 2 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                Instant at = morning.plus(Duration.ofMinutes(v * 7L + random.nextInt(100)));
                int kind = random.nextInt(3);
                funnel.add(kind == 0 ? view(random, "f-" + v, at) : other(kind == 1 ? "placement" : "conversion",
                        "f-" + v, at));
            }
        }
        send(funnel);
        try (Connection c = server.db(); Statement s = c.createStatement()) {
            // Sent days ago, the events are late and their days marked; rolled up after all arrived, none is stale.
            s.execute("DELETE FROM rollup_dirty");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setPassword(TestDatabase.server().password());
        RollupService rollups = new RollupService(dataSource, clock);
        for (LocalDate day = TODAY.minusDays(3); day.isBefore(TODAY); day = day.plusDays(1)) {
            rollups.rollUp(app, day);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A view with a path sent as such, or only inside its URL, or none (an app screen, then with a name). */
    private static String view(Random random, String visitor, Instant at) {
        String name = NAMES[random.nextInt(NAMES.length)];
        String path = PATHS[random.nextInt(PATHS.length)];
        String referrer = REFERRERS[random.nextInt(REFERRERS.length)];
        int form = random.nextInt(name == null ? 2 : 3);
        Map<String, String> properties = new HashMap<>();
        if (name != null) {
            properties.put("name", name);
        }
        if (form == 0) {
            properties.put("path", path);
        } else if (form == 1) {
            properties.put("url", "https://shop.example" + path + "?variant=oak#top");
        } else {
            path = null;
        }
        if (referrer != null) {
            properties.put("referrer", referrer);
        }
        SENT.add(new Sent(visitor, at, "screen_view", path, name, referrer));
        return "{\"type\":\"screen_view\",\"visitor_id\":\"" + visitor + "\",\"session_id\":\"s-" + visitor
                + "\",\"occurred_at\":\"" + at + "\",\"properties\":" + JSON.valueToTree(properties) + "}";
    }

    private static String other(String type, String visitor, Instant at) {
        SENT.add(new Sent(visitor, at, type, null, null, null));
        String properties = switch (type) {
            case "placement" -> "{\"object_id\":\"chair\"}";
            case "conversion" -> "{\"cta_id\":\"buy\"}";
            default -> "{\"path\":\"/not-a-view\",\"name\":\"not a view\"}";
        };
        return "{\"type\":\"" + type + "\",\"visitor_id\":\"" + visitor + "\",\"session_id\":\"s-" + visitor
                + "\",\"occurred_at\":\"" + at + "\",\"properties\":" + properties + "}";
    }

    private static void send(List<String> events) throws Exception {
        HttpResponse<String> r = server.post("/api/v1/analytics/batch", "{\"events\":[" + String.join(",", events)
                + "]}", Map.of("Content-Type", "application/json", "X-Write-Key", writeKey));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("accepted").asInt()).as(r.body()).isEqualTo(events.size());
    }

    /** The referrer's host, lower-case, without "www.": worked out independently of the server. */
    private static String domain(String referrer) {
        if (referrer == null || referrer.isEmpty()) {
            return null;
        }
        String host = URI.create(referrer).getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("www.") ? host.substring(4) : host;
    }

    private static Map<String, Long> expected(String by, Predicate<Sent> which) {
        Map<String, Long> counts = new HashMap<>();
        SENT.stream().filter(which).forEach(e -> counts.merge(e.dimension(by), 1L, Long::sum));
        return counts;
    }

    private static JsonNode get(String route, String query) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/" + route + "?" + query,
                Map.of("Authorization", "Bearer " + token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Map<String, Long> counts(JsonNode breakdown) {
        Map<String, Long> counts = new HashMap<>();
        breakdown.get("values").forEach(v -> counts.put(v.get("value").asText(), v.get("events").asLong()));
        return counts;
    }

    /** Hides every rollup_days row while the query runs, so the range is answered from raw events. */
    private static JsonNode raw(String route, String query) throws Exception {
        try (Connection c = server.db(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE hidden_rollup_days AS SELECT * FROM rollup_days");
            s.execute("DELETE FROM rollup_days");
        }
        try {
            return get(route, query);
        } finally {
            try (Connection c = server.db(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO rollup_days SELECT * FROM hidden_rollup_days");
                s.execute("DROP TABLE hidden_rollup_days");
            }
        }
    }

    private static String range() {
        return "from=" + TODAY.minusDays(3) + "&to=" + TODAY;
    }

    private static String filter(String dimension, String value) {
        return "filter=" + URLEncoder.encode(dimension + ":eq:" + value, StandardCharsets.UTF_8);
    }

    @Test
    void breakdowns_by_path_screen_name_and_referrer_domain_count_what_was_sent_from_rollups_and_raw() throws Exception {
        for (String by : List.of("path", "screen_name", "referrer_domain")) {
            Map<String, Long> sent = expected(by, e -> true);
            JsonNode rolled = get("stats/breakdown", "by=" + by + "&limit=100&" + range());
            assertThat(rolled.get("rolled_days").asInt()).as(by).isEqualTo(3);
            assertThat(counts(rolled)).as(by).isEqualTo(sent);

            JsonNode raw = raw("stats/breakdown", "by=" + by + "&limit=100&" + range());
            assertThat(raw.get("rolled_days").asInt()).as(by).isZero();
            assertThat(counts(raw)).as(by).isEqualTo(sent);
        }
        // The same referrer written three ways is one domain; the events of other types count as "not set".
        assertThat(expected("referrer_domain", e -> true)).containsKeys("google.com", "example.org",
                "news.example.org", "com.google.android.gm", "");
        assertThat(expected("path", e -> true)).containsKeys("/ar/chair", "/catalogue/oak%20chair", "/", "");
    }

    @Test
    void a_path_filter_selects_the_views_of_that_path_in_every_stats_route() throws Exception {
        Predicate<Sent> chair = e -> "/ar/chair".equals(e.path());
        long views = SENT.stream().filter(chair).count();
        assertThat(views).isPositive();

        JsonNode same = get("stats/breakdown", "by=path&" + filter("path", "/ar/chair") + "&" + range());
        assertThat(same.get("rolled_days").asInt()).isEqualTo(3);
        assertThat(counts(same)).isEqualTo(Map.of("/ar/chair", views));

        JsonNode names = get("stats/breakdown", "by=screen_name&limit=100&" + filter("path", "/ar/chair") + "&" + range());
        assertThat(names.get("rolled_days").asInt()).isZero();
        assertThat(counts(names)).isEqualTo(expected("screen_name", chair));

        assertThat(get("stats/summary", filter("path", "/ar/chair") + "&" + range()).at("/current/events").asLong())
                .isEqualTo(views);
        long inSeries = 0;
        for (JsonNode bucket : get("stats/timeseries", filter("path", "/ar/chair") + "&" + range()).get("buckets")) {
            inSeries += bucket.get("events").asLong();
        }
        assertThat(inSeries).isEqualTo(views);

        String export = server.get("/api/v1/apps/" + app + "/events/export?format=ndjson&" + filter("path", "/ar/chair")
                + "&" + range(), Map.of("Authorization", "Bearer " + token)).body();
        List<String> lines = export.lines().filter(l -> !l.isEmpty()).toList();
        assertThat(lines).hasSize((int) views);
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.get("event_type").asText()).isEqualTo("screen_view");
            JsonNode properties = event.get("properties");
            properties = properties.isTextual() ? JSON.readTree(properties.asText()) : properties;
            assertThat(properties.get("path").asText()).isEqualTo("/ar/chair");
        }
    }

    @Test
    void a_funnel_starting_from_a_view_counts_what_an_independent_count_of_the_sent_events_finds() throws Exception {
        JsonNode steps = get("stats/funnel", "steps=screen_view,placement,conversion&" + range()).get("steps");
        assertThat(steps.findValuesAsText("step")).containsExactly("screen_view", "placement", "conversion");
        assertThat(funnelCounts(steps)).isEqualTo(oracle(List.of(e -> e.type().equals("screen_view"),
                e -> e.type().equals("placement"), e -> e.type().equals("conversion"))));

        JsonNode chair = get("stats/funnel", "steps=screen_view:/ar/chair,conversion&" + range()).get("steps");
        assertThat(chair.findValuesAsText("step")).containsExactly("screen_view:/ar/chair", "conversion");
        assertThat(funnelCounts(chair)).isEqualTo(oracle(List.of(e -> "/ar/chair".equals(e.path()),
                e -> e.type().equals("conversion"))));
        assertThat(funnelCounts(chair).get(1)).as("some visitors convert after the chair's page").isPositive();
    }

    @Test
    void refuses_a_view_step_whose_path_does_not_start_with_a_slash() throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + app + "/stats/funnel?steps=screen_view:ar,conversion",
                Map.of("Authorization", "Bearer " + token));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).at("/error/field").asText()).isEqualTo("steps");
    }

    private static List<Long> funnelCounts(JsonNode steps) {
        List<Long> counts = new ArrayList<>();
        steps.forEach(step -> counts.add(step.get("count").asLong()));
        return counts;
    }

    /** Per step, the visitors whose deepest chain (FunnelOracle, the README's definition) reaches it. */
    private static List<Long> oracle(List<Predicate<Sent>> steps) {
        long from = TODAY.minusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = TODAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Map<String, List<FunnelOracle.Event>> byVisitor = new HashMap<>();
        for (Sent e : SENT) {
            int mask = 0;
            for (int k = 0; k < steps.size(); k++) {
                mask |= steps.get(k).test(e) ? 1 << k : 0;
            }
            if (mask != 0) {
                byVisitor.computeIfAbsent(e.visitor(), v -> new ArrayList<>())
                        .add(new FunnelOracle.Event(e.at().toEpochMilli(), mask));
            }
        }
        long[] reached = new long[steps.size()];
        for (List<FunnelOracle.Event> events : byVisitor.values()) {
            events.sort(Comparator.comparingLong(FunnelOracle.Event::time));
            int deepest = FunnelOracle.deepest(events, steps.size(), WINDOW_MS, from, to);
            for (int k = 0; k < deepest; k++) {
                reached[k]++;
            }
        }
        List<Long> counts = new ArrayList<>();
        for (long n : reached) {
            counts.add(n);
        }
        return counts;
    }
}
