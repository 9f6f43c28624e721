package io.sightline.bench.stats;

import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatsDataLoaderTest {
    private static final Instant END = Instant.parse("2026-11-24T16:00:00Z");

    @Test
    void loads_two_apps_into_a_real_postgresql_with_every_row_and_type_counted_per_app() throws Exception {
        String url = TestDatabase.createDatabase();
        String password = TestDatabase.server().password();
        Catalog catalog = Catalog.standard();
        List<Long> progress = new ArrayList<>();
        StatsDataLoader loader = new StatsDataLoader(url, "postgres", password, 2);

        StatsDataLoader.Result result = loader.load(catalog, List.of(new StatsDataLoader.AppData(1, 45_000, 11),
                new StatsDataLoader.AppData(2, 5_000, 12)), 365, END, progress::add);
        loader.vacuumAnalyze();

        assertThat(result.rows()).isEqualTo(50_000);
        assertThat(progress).contains(20_000L, 40_000L);
        Map<String, Long> expected = new HashMap<>();
        new EventGenerator(catalog, 1, 11, 45_000, 365, END).generate(e -> expected.merge(e.type(), 1L, Long::sum));
        try (Connection c = TestDatabase.connect(url); Statement s = c.createStatement()) {
            Map<String, Long> stored = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT event_type, count(*) FROM analytics_events WHERE app_id = 1"
                    + " GROUP BY event_type")) {
                while (rs.next()) {
                    stored.put(rs.getString(1), rs.getLong(2));
                }
            }
            assertThat(stored).isEqualTo(expected);
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT visitor_id) FILTER (WHERE visitor_id"
                    + " IS NULL), min(occurred_at) >= '2025-11-24T16:00:00Z', max(occurred_at) < '2026-11-24T16:00:00Z',"
                    + " count(*) FILTER (WHERE properties->>'currency' IN ('EUR', 'USD')),"
                    + " count(*) FILTER (WHERE event_type = 'conversion'),"
                    + " count(DISTINCT tableoid) FROM analytics_events WHERE app_id = 2")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(5_000);
                assertThat(rs.getLong(2)).isZero();
                assertThat(rs.getBoolean(3)).isTrue();
                assertThat(rs.getBoolean(4)).isTrue();
                assertThat(rs.getLong(5)).isEqualTo(rs.getLong(6)).isPositive();
                assertThat(rs.getLong(7)).isEqualTo(13); // twelve whole months and a part of a thirteenth
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM analytics_events a JOIN analytics_events b"
                    + " ON a.visitor_id = b.visitor_id WHERE a.app_id = 1 AND b.app_id = 2")) {
                rs.next();
                assertThat(rs.getLong(1)).as("visitors shared between apps").isZero();
            }
        }
    }
}
