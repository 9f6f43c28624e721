package io.sightline.ingest;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionTest {
    private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");

    private static List<String> partitions(TestServer server) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                     + " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'analytics_events' ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void creates_partitions_for_the_backfill_window_and_two_months_ahead_at_start() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertThat(partitions(server)).containsExactly("analytics_events_p2026_11", "analytics_events_p2026_12",
                    "analytics_events_p2027_01", "analytics_events_p2027_02");
        }
    }

    @Test
    void stores_a_late_event_of_last_month_in_last_months_partition() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), Clock.fixed(NOW, ZoneOffset.UTC))) {
            HttpResponse<String> r = server.ingest("/api/v1/analytics/track",
                    "{\"type\":\"screenshot\",\"occurred_at\":\"2026-11-28T10:00:00Z\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            try (Connection c = server.db(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM analytics_events_p2026_11")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void recreates_a_partition_that_vanished_instead_of_losing_the_event() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertThat(server.ingest("/api/v1/analytics/track", "{\"type\":\"screenshot\"}").statusCode()).isEqualTo(200);
            try (Connection c = server.db(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE analytics_events_p2026_12");
            }
            HttpResponse<String> r = server.ingest("/api/v1/analytics/track", "{\"type\":\"screenshot\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            try (Connection c = server.db(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM analytics_events_p2026_12")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }
}
