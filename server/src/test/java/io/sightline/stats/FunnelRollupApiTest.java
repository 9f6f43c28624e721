package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.rollup.RetentionPolicy;
import io.sightline.rollup.RollupJob;
import io.sightline.rollup.RollupListener;
import io.sightline.rollup.RollupService;
import io.sightline.store.PartitionManager;
import io.sightline.testing.MutableClock;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The dashboard's default funnel answered from the daily funnel rollups (V19) over real PostgreSQL and HTTP,
 * against an independent count ({@link FunnelOracle}, which enumerates every chain of each actor's events from the
 * README's definition) and against the raw path (forced by a filter every event passes).
 */
class FunnelRollupApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = Instant.parse("2026-02-22T10:00:00Z");
    private static final LocalDate FIRST = LocalDate.parse("2026-02-01");
    private static final LocalDate LAST = LocalDate.parse("2026-02-21");
    private static final String[] STEPS = {"qr_scan", "placement", "interaction", "conversion"};
    private static final String DEFAULT = "steps=qr_scan,placement,interaction,conversion&window=1h";
    private static final String RAW = "&filter=event_name:neq:zzz";
    private static final long HOUR = Duration.ofHours(1).toMillis();

    /** One stored event as the oracle sees it. */
    record Row(String visitor, String session, String type, Instant at) {}

    private static TestServer server;
    private static MutableClock clock;
    private static PGSimpleDataSource dataSource;
    private static long app;
    private static long medianApp;
    private static final List<Row> rows = new ArrayList<>();
    private static final List<Row> medianRows = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(NOW);
        // No scheduled jobs: the test runs the rollup job itself, when a step needs it.
        server = TestServer.start(Map.of("SIGHTLINE_DEVICE_DETECTION", "false", "SIGHTLINE_JOBS", "false"), clock);
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setPassword(TestDatabase.server().password());
        app = createApp("funnels");
        medianApp = createApp("medians");
        generate(new Random(16), rows, 260, 4, true);
        // Today, before NOW: read raw by every plan.
        for (int v = 0; v < 30; v++) {
            episode(new Random(v), rows, "t" + v, List.of("t" + v + "-s"), Instant.parse("2026-02-22T07:00:00Z")
                    .plusSeconds(v * 60L), false);
        }
        insert(app, rows);
        generate(new Random(7), medianRows, 300, 1, false);
        insert(medianApp, medianRows);
        RollupService rollups = new RollupService(dataSource, clock);
        for (LocalDate day = FIRST; !day.isAfter(LAST); day = day.plusDays(1)) {
            rollups.rollUp(app, day);
            rollups.rollUp(medianApp, day);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_default_funnel_over_rolled_days_equals_the_independent_count_and_the_raw_path() throws Exception {
        for (String count : List.of("visitors", "sessions")) {
            String range = "from=2026-02-01&to=2026-02-21&count=" + count;
            JsonNode rolled = get(app, DEFAULT + "&" + range);
            assertThat(rolled.get("rolled_days").asInt()).isEqualTo(21);
            long[] expected = oracle(rows, count.equals("sessions"), start(FIRST), start(LAST.plusDays(1)), HOUR);
            assertThat(expected[3]).as("the data reach the last step").isGreaterThan(20);
            assertClose(counts(rolled), expected);
            JsonNode raw = get(app, DEFAULT + "&" + range + RAW);
            assertThat(raw.get("rolled_days").asInt()).isZero();
            assertThat(counts(raw)).containsExactly(expected);
        }
    }

    @Test
    void a_mixed_range_reads_its_partial_first_day_and_today_raw() throws Exception {
        Instant from = Instant.parse("2026-02-03T15:30:00Z");
        JsonNode answer = get(app, DEFAULT + "&from=" + from + "&to=" + NOW);
        // Whole days 4 to 21; the 3rd from 16:30 and the 22nd until 11:00 raw.
        assertThat(answer.get("rolled_days").asInt()).isEqualTo(18);
        assertClose(counts(answer), oracle(rows, false, from, NOW, HOUR));
    }

    @Test
    void other_funnels_and_filtered_ones_stay_exact_from_raw_events() throws Exception {
        JsonNode shorter = get(app, "steps=qr_scan,placement,conversion&window=30m&from=2026-02-01&to=2026-02-21");
        assertThat(shorter.get("rolled_days").asInt()).isZero();
        assertThat(counts(shorter)).containsExactly(oracle(rows, false, start(FIRST), start(LAST.plusDays(1)),
                30 * 60_000L, "qr_scan", "placement", "conversion"));
        JsonNode longer = get(app, "steps=qr_scan,placement,interaction,conversion&window=2h&count=sessions"
                + "&from=2026-02-01&to=2026-02-21");
        assertThat(longer.get("rolled_days").asInt()).isZero();
        assertThat(counts(longer)).containsExactly(oracle(rows, true, start(FIRST), start(LAST.plusDays(1)), 2 * HOUR));
        JsonNode otherZone = get(app, DEFAULT + "&from=2026-02-01&to=2026-02-21&tz=UTC");
        assertThat(otherZone.get("rolled_days").asInt()).isZero();
        assertThat(counts(otherZone)).containsExactly(oracle(rows, false,
                Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-02-22T00:00:00Z"), HOUR));
    }

    @Test
    void medians_from_rollups_are_within_five_percent_of_the_exact_ones() throws Exception {
        String query = DEFAULT + "&from=2026-02-01&to=2026-02-21";
        JsonNode rolled = get(medianApp, query).get("steps");
        JsonNode raw = get(medianApp, query + RAW).get("steps");
        assertThat(get(medianApp, query).get("rolled_days").asInt()).isEqualTo(21);
        assertThat(counts(rolled)).containsExactly(counts(raw));
        assertThat(rolled.get(0).get("median_seconds_from_previous").isNull()).isTrue();
        for (int k = 1; k < 4; k++) {
            double exact = raw.get(k).get("median_seconds_from_previous").asDouble();
            assertThat(exact).isPositive();
            assertThat(rolled.get(k).get("median_seconds_from_previous").asDouble())
                    .as("step %d", k + 1).isCloseTo(exact, within(exact * 0.05));
        }
    }

    /**
     * A chain started late on the 14th whose third step arrives late, on the 15th (an app in UTC, so the mark's UTC
     * date overlaps the 15th alone and only the funnel rule re-rolls the 14th): until the rollup job runs again the
     * days whose funnel rows may read the mark are read raw (and count it); afterwards the 14th's funnel rows,
     * re-rolled with the 15th, count it from rollups.
     */
    @Test
    void a_late_event_completing_a_chain_from_the_day_before_is_counted_before_and_after_the_re_roll()
            throws Exception {
        long late = createApp("late", "UTC");
        List<Row> events = new ArrayList<>();
        generate(new Random(3), events, 40, 2, false);
        events.add(new Row("early", "early-s", "qr_scan", Instant.parse("2026-02-01T12:00:00Z")));
        Instant scan = Instant.parse("2026-02-14T23:40:00Z");
        events.add(new Row("late-v", "late-s", "qr_scan", scan));
        events.add(new Row("late-v", "late-s", "placement", scan.plusSeconds(600)));
        insert(late, events);
        RetentionPolicy policy = new RetentionPolicy(365, 0, Duration.ofDays(7), Duration.ofMinutes(10));
        RollupJob job = new RollupJob(dataSource, new RollupService(dataSource, clock, Duration.ofMinutes(10)), clock,
                policy, RollupListener.NONE);
        job.run();
        String query = DEFAULT + "&from=2026-02-01&to=2026-02-21";
        JsonNode before = get(late, query);
        assertThat(before.get("rolled_days").asInt()).isEqualTo(21);
        Instant from = Instant.parse("2026-02-01T00:00:00Z");
        Instant to = Instant.parse("2026-02-22T00:00:00Z");
        assertClose(counts(before), oracle(events, false, from, to, HOUR));

        Row interaction = new Row("late-v", "late-s", "interaction", scan.plusSeconds(1800));
        events.add(interaction);
        insert(late, List.of(interaction));
        markLate(late, interaction.at());
        long[] expected = oracle(events, false, from, to, HOUR);
        JsonNode marked = get(late, query);
        // The mark (2026-02-15) keeps out every day whose funnel rows may read that date: the 13th to the 16th.
        assertThat(marked.get("rolled_days").asInt()).isEqualTo(17);
        assertThat(counts(marked)).containsExactly(expected);
        assertThat(counts(marked)[2]).isEqualTo(counts(before)[2] + 1);

        job.run();
        JsonNode after = get(late, query);
        assertThat(after.get("rolled_days").asInt()).isEqualTo(21);
        assertThat(counts(after)).containsExactly(expected);
    }

    /**
     * Visitors each doing {@code episodes} funnel attempts on random days, in 1 to 3 sessions: some start just
     * before midnight (their chains cross it), some scan twice, some have steps at the same instant, some skip or
     * swap a step or miss the window. With {@code mixedSessions} false each visitor has one session and one
     * attempt's steps, so each actor has one chain per day.
     */
    private static void generate(Random random, List<Row> out, int visitors, int episodes, boolean mixedSessions) {
        for (int v = 0; v < visitors; v++) {
            String visitor = "v" + v;
            List<String> sessions = new ArrayList<>();
            int sessionCount = mixedSessions ? 1 + random.nextInt(3) : 1;
            for (int s = 0; s < sessionCount; s++) {
                sessions.add(visitor + "-s" + s);
            }
            int n = mixedSessions ? 1 + random.nextInt(episodes) : 1;
            for (int e = 0; e < n; e++) {
                LocalDate day = FIRST.plusDays(random.nextInt(21));
                int minute = random.nextInt(5) == 0 ? 23 * 60 + 15 + random.nextInt(44) : random.nextInt(23 * 60);
                Instant at = day.atStartOfDay(BERLIN).toInstant().plusSeconds(minute * 60L + random.nextInt(60));
                episode(random, out, visitor, sessions, at, mixedSessions);
            }
        }
    }

    private static void episode(Random random, List<Row> out, String visitor, List<String> sessions, Instant at,
                                boolean messy) {
        Instant t = at;
        String session = sessions.get(random.nextInt(sessions.size()));
        for (int k = 0; k < STEPS.length; k++) {
            if (messy && random.nextInt(8) == 0) {
                continue;
            }
            String s = messy && random.nextInt(6) == 0 ? sessions.get(random.nextInt(sessions.size())) : session;
            out.add(new Row(visitor, s, STEPS[k], t));
            if (messy && k == 0 && random.nextInt(4) == 0) {
                out.add(new Row(visitor, s, "qr_scan", t.plusSeconds(random.nextInt(1200))));
            }
            if (random.nextInt(3) == 0) {
                break;
            }
            long gap = messy && random.nextInt(7) == 0 ? 0 : 1 + random.nextInt(messy ? 1500 : 1100);
            t = t.plusSeconds(gap);
        }
        if (messy) {
            out.add(new Row(visitor, session, "custom", t.plusSeconds(5)));
        }
    }

    /** Per step, the actors whose deepest chain started in [from, to) reaches it, from {@link FunnelOracle}. */
    private static long[] oracle(List<Row> events, boolean bySession, Instant from, Instant to, long windowMillis,
                                 String... steps) {
        String[] funnel = steps.length == 0 ? STEPS : steps;
        Map<String, List<FunnelOracle.Event>> byActor = new HashMap<>();
        for (Row r : events) {
            int mask = 0;
            for (int k = 0; k < funnel.length; k++) {
                if (funnel[k].equals(r.type())) {
                    mask |= 1 << k;
                }
            }
            if (mask != 0) {
                byActor.computeIfAbsent(bySession ? r.session() : r.visitor(), a -> new ArrayList<>())
                        .add(new FunnelOracle.Event(r.at().toEpochMilli(), mask));
            }
        }
        long[] reached = new long[funnel.length];
        for (List<FunnelOracle.Event> actorEvents : byActor.values()) {
            actorEvents.sort((a, b) -> Long.compare(a.time(), b.time()));
            int depth = FunnelOracle.deepest(actorEvents, funnel.length, windowMillis, from.toEpochMilli(),
                    to.toEpochMilli());
            for (int k = 0; k < depth; k++) {
                reached[k]++;
            }
        }
        return reached;
    }

    /** Within HyperLogLog's tolerance (2 %, and these small sets count almost exactly). */
    private static void assertClose(long[] actual, long[] expected) {
        for (int k = 0; k < expected.length; k++) {
            assertThat((double) actual[k]).as("step %d of %s vs %s", k + 1, Arrays.toString(actual), Arrays.toString(expected))
                    .isCloseTo(expected[k], within(Math.max(1, expected[k] * 0.02)));
        }
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(BERLIN).toInstant();
    }

    private static long[] counts(JsonNode answer) {
        JsonNode steps = answer.has("steps") ? answer.get("steps") : answer;
        long[] counts = new long[steps.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = steps.get(i).get("count").asLong();
        }
        return counts;
    }

    private static JsonNode get(long appId, String query) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/apps/" + appId + "/stats/funnel?" + query,
                Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static long createApp(String name) throws Exception {
        return createApp(name, BERLIN.getId());
    }

    private static long createApp(String name, String zone) throws Exception {
        return JSON.readTree(server.admin("POST", "/api/v1/apps",
                "{\"name\":\"" + name + "\",\"time_zone\":\"" + zone + "\"}").body()).get("id").asLong();
    }

    private static void insert(long appId, List<Row> events) throws SQLException {
        Set<YearMonth> months = new HashSet<>();
        events.forEach(r -> months.add(PartitionManager.month(r.at())));
        new PartitionManager(dataSource, Clock.systemUTC(), Duration.ofDays(1)).ensureAll(months);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO analytics_events (app_id, event_id, event_type, occurred_at, received_at, session_id,"
                        + " visitor_id, properties) VALUES (?, ?, ?, ?, ?, ?, ?, '{}'::jsonb)")) {
            for (Row r : events) {
                ps.setLong(1, appId);
                ps.setObject(2, UUID.randomUUID());
                ps.setString(3, r.type());
                ps.setTimestamp(4, Timestamp.from(r.at()));
                ps.setTimestamp(5, Timestamp.from(r.at()));
                ps.setString(6, r.session());
                ps.setString(7, r.visitor());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** What the writer does for an event stored after its day was rolled: marks the event's UTC date. */
    private static void markLate(long appId, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO rollup_dirty (app_id, day, marked_at) VALUES (?, (?::timestamptz AT TIME ZONE 'UTC')::date, ?)")) {
            ps.setLong(1, appId);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
    }
}
