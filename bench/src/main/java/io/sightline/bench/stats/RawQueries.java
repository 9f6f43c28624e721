package io.sightline.bench.stats;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The stats API's questions answered the way tools without rollups answer them: one scan of
 * {@code analytics_events} per question. Parameters are bound; the dimension is one of two constant column names.
 */
final class RawQueries {
    private RawQueries() {
    }

    /** SQL and its bound parameters. */
    record Raw(String sql, List<Object> parameters) {}

    private static final String RANGE = " FROM analytics_events WHERE app_id = ? AND occurred_at >= ? AND occurred_at < ?";

    static Raw summary(long app, LocalDate today, int days) {
        return new Raw("SELECT count(*), count(DISTINCT visitor_id), count(DISTINCT session_id),"
                + " count(*) FILTER (WHERE event_type = 'qr_scan'), count(*) FILTER (WHERE event_type = 'placement'),"
                + " count(*) FILTER (WHERE event_type = 'interaction'), count(*) FILTER (WHERE event_type = 'screenshot'),"
                + " count(*) FILTER (WHERE event_type = 'conversion'),"
                + " sum((properties->>'value')::numeric) FILTER (WHERE event_type = 'conversion')" + RANGE,
                range(app, today, days));
    }

    static Raw timeseries(long app, LocalDate today, int days) {
        return new Raw("SELECT date_trunc('day', occurred_at AT TIME ZONE 'UTC') AS day, count(*),"
                + " count(DISTINCT visitor_id)" + RANGE + " GROUP BY 1 ORDER BY 1", range(app, today, days));
    }

    static Raw breakdown(long app, LocalDate today, int days, String column) {
        if (!List.of("country", "city").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        return new Raw("SELECT " + column + ", count(*), count(DISTINCT visitor_id)" + RANGE
                + " GROUP BY 1 ORDER BY 2 DESC LIMIT 10", range(app, today, days));
    }

    /**
     * The API's funnel rule (ClickHouse's {@code windowFunnel}): a visitor counts at the deepest step reached from any
     * of their scans in the range, each later step at or after the one before and at most {@code windowHours} after
     * that scan. For one scan the earliest fitting event of each next step is never worse than a later one, so each
     * level keeps, per scan, the earliest time it was reached.
     */
    static Raw funnel(long app, LocalDate today, int days, int windowHours) {
        return new Raw("WITH e AS (SELECT visitor_id, event_type, occurred_at" + RANGE
                + " AND event_type IN ('qr_scan', 'placement', 'interaction', 'conversion')),"
                + " s1 AS (SELECT visitor_id, occurred_at AS t0, occurred_at AS t FROM e WHERE event_type = 'qr_scan'),"
                + " s2 AS (SELECT s1.visitor_id, s1.t0, min(e.occurred_at) AS t FROM s1 JOIN e USING (visitor_id)"
                + "   WHERE e.event_type = 'placement' AND e.occurred_at >= s1.t AND e.occurred_at <= s1.t0 + make_interval(hours => ?)"
                + "   GROUP BY 1, 2),"
                + " s3 AS (SELECT s2.visitor_id, s2.t0, min(e.occurred_at) AS t FROM s2 JOIN e USING (visitor_id)"
                + "   WHERE e.event_type = 'interaction' AND e.occurred_at >= s2.t AND e.occurred_at <= s2.t0 + make_interval(hours => ?)"
                + "   GROUP BY 1, 2),"
                + " s4 AS (SELECT s3.visitor_id FROM s3 JOIN e USING (visitor_id)"
                + "   WHERE e.event_type = 'conversion' AND e.occurred_at >= s3.t AND e.occurred_at <= s3.t0 + make_interval(hours => ?))"
                + " SELECT (SELECT count(DISTINCT visitor_id) FROM s1), (SELECT count(DISTINCT visitor_id) FROM s2),"
                + " (SELECT count(DISTINCT visitor_id) FROM s3), (SELECT count(DISTINCT visitor_id) FROM s4)",
                withWindow(range(app, today, days), windowHours));
    }

    static Raw realtime(long app) {
        return new Raw("SELECT count(*) FILTER (WHERE occurred_at >= now() - interval '5 minutes'),"
                + " count(DISTINCT visitor_id) FILTER (WHERE occurred_at >= now() - interval '5 minutes'),"
                + " count(*), count(DISTINCT visitor_id)"
                + " FROM analytics_events WHERE app_id = ? AND occurred_at >= now() - interval '30 minutes'", List.of(app));
    }

    private static List<Object> withWindow(List<Object> range, int hours) {
        List<Object> p = new java.util.ArrayList<>(range);
        p.addAll(List.of(hours, hours, hours));
        return p;
    }

    /** The UTC days from {@code today - days + 1} to {@code today}, as the API's from/to mean them. */
    private static List<Object> range(long app, LocalDate today, int days) {
        return List.of(app, today.minusDays(days - 1L).atStartOfDay().atOffset(ZoneOffset.UTC),
                today.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
    }
}
