package io.sightline.bench.stats;

import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RawQueriesTest {
    private static final Instant END = Instant.parse("2026-11-24T16:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 24);
    private static final List<SyntheticEvent> EVENTS = new ArrayList<>();
    private static String url;

    @BeforeAll
    static void load() throws Exception {
        url = TestDatabase.createDatabase();
        Catalog catalog = Catalog.standard();
        new StatsDataLoader(url, "postgres", TestDatabase.server().password(), 1).load(catalog,
                List.of(new StatsDataLoader.AppData(1, 20_000, 21), new StatsDataLoader.AppData(2, 2_000, 22)), 365, END,
                rows -> { });
        new EventGenerator(catalog, 1, 21, 20_000, 365, END).generate(EVENTS::add);
    }

    private static List<List<Object>> run(RawQueries.Raw raw) throws Exception {
        try (Connection c = TestDatabase.connect(url); PreparedStatement s = c.prepareStatement(raw.sql())) {
            for (int i = 0; i < raw.parameters().size(); i++) {
                s.setObject(i + 1, raw.parameters().get(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static boolean inLast(SyntheticEvent e, int days) {
        long from = TODAY.minusDays(days - 1L).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        return e.occurredAtMs() >= from;
    }

    @Test
    void summary_counts_exactly_the_apps_events_in_the_range() throws Exception {
        List<Object> row = run(RawQueries.summary(1, TODAY, 30)).get(0);
        long expected = EVENTS.stream().filter(e -> inLast(e, 30)).count();
        Set<String> visitors = new HashSet<>();
        EVENTS.stream().filter(e -> inLast(e, 30)).forEach(e -> visitors.add(e.visitorId()));
        assertThat(((Number) row.get(0)).longValue()).isEqualTo(expected).isPositive();
        assertThat(((Number) row.get(1)).longValue()).isEqualTo(visitors.size());
    }

    @Test
    void timeseries_has_a_row_per_day_and_breakdown_puts_the_biggest_country_first() throws Exception {
        assertThat(run(RawQueries.timeseries(1, TODAY, 30))).hasSize(30);
        Map<String, Integer> byCountry = new HashMap<>();
        EVENTS.stream().filter(e -> inLast(e, 365)).forEach(e -> byCountry.merge(e.visitor().country().code(), 1, Integer::sum));
        List<List<Object>> top = run(RawQueries.breakdown(1, TODAY, 365, "country"));
        assertThat(top).hasSize(10);
        assertThat(((Number) top.get(0).get(1)).intValue()).isEqualTo(byCountry.values().stream().max(Integer::compare)
                .orElseThrow());
    }

    @Test
    void funnel_steps_never_grow_and_the_first_counts_the_visitors_who_scanned() throws Exception {
        List<Object> row = run(RawQueries.funnel(1, TODAY, 30, 24)).get(0);
        Set<String> scanned = new HashSet<>();
        EVENTS.stream().filter(e -> inLast(e, 30) && e.type().equals("qr_scan")).forEach(e -> scanned.add(e.visitorId()));
        assertThat(((Number) row.get(0)).longValue()).isEqualTo(scanned.size());
        for (int i = 1; i < 4; i++) {
            assertThat(((Number) row.get(i)).longValue()).isPositive()
                    .isLessThan(((Number) row.get(i - 1)).longValue());
        }
    }

    @Test
    void realtime_runs_and_percentiles_take_the_nearest_rank() throws Exception {
        assertThat(run(RawQueries.realtime(1))).hasSize(1);
        Timings t = Timings.of(new double[] {5, 1, 4, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
        assertThat(t.p50()).isEqualTo(10);
        assertThat(t.p95()).isEqualTo(19);
    }
}
