package io.sightline.stats;

import io.sightline.store.PartitionManager;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Writes generated events straight into analytics_events (past dates lie outside the ingestion window), from a
 * fixed seed. Skewed like real traffic: a few countries and systems carry most events, some values unset, a few
 * visitors return often, conversions carry values in two currencies.
 */
final class StatsFixture {
    private static final String[] TYPES = {"qr_scan", "qr_scan", "placement", "interaction", "conversion", "custom"};
    private static final String[] COUNTRIES = {"DE", "DE", "DE", "US", "US", "FR", "GB", null};
    private static final String[] OS = {"iOS", "iOS", "Android", "Android", "Android", null};
    private static final String[] CURRENCIES = {"EUR", "EUR", "USD"};

    private final DataSource dataSource;
    private final Random random;
    private final int visitors;

    StatsFixture(DataSource dataSource, long seed, int visitors) {
        this.dataSource = dataSource;
        this.random = new Random(seed);
        this.visitors = visitors;
    }

    /** {@code count} events spread uniformly over [from, to). */
    void spread(long appId, Instant from, Instant to, int count) throws SQLException {
        long span = Duration.between(from, to).toMillis();
        Instant[] times = new Instant[count];
        for (int i = 0; i < count; i++) {
            times[i] = from.plusMillis((long) (random.nextDouble() * span));
        }
        insert(appId, List.of(times), null);
    }

    /** One event per instant; {@code type} null picks a random type. */
    void insert(long appId, List<Instant> times, String type) throws SQLException {
        Set<YearMonth> months = new HashSet<>();
        times.forEach(t -> months.add(PartitionManager.month(t)));
        new PartitionManager(dataSource, Clock.systemUTC(), Duration.ofDays(1)).ensureAll(months);
        String sql = "INSERT INTO analytics_events (app_id, event_id, event_type, occurred_at, received_at, session_id,"
                + " visitor_id, country, os, browser, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (Instant t : times) {
                String eventType = type != null ? type : TYPES[random.nextInt(TYPES.length)];
                int visitor = skewed(visitors);
                ps.setLong(1, appId);
                ps.setObject(2, UUID.randomUUID());
                ps.setString(3, eventType);
                ps.setTimestamp(4, Timestamp.from(t));
                ps.setTimestamp(5, Timestamp.from(t.plusSeconds(1)));
                ps.setString(6, "s-" + visitor + "-" + random.nextInt(3));
                ps.setString(7, random.nextInt(60) == 0 ? null : "v-" + visitor);
                ps.setString(8, COUNTRIES[random.nextInt(COUNTRIES.length)]);
                ps.setString(9, OS[random.nextInt(OS.length)]);
                ps.setString(10, random.nextBoolean() ? "Safari" : null);
                ps.setString(11, properties(eventType));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private String properties(String type) {
        StringBuilder p = new StringBuilder("{\"qr_code_id\":\"qr-" + skewed(25) + "\"");
        if (type.equals("conversion") && random.nextInt(4) != 0) {
            BigDecimal value = BigDecimal.valueOf(random.nextInt(100_000), 2);
            p.append(",\"value\":").append(value.toPlainString())
                    .append(",\"currency\":\"").append(CURRENCIES[random.nextInt(CURRENCIES.length)]).append('"');
        }
        return p.append('}').toString();
    }

    /** Zipf-like: low indexes far more often. */
    private int skewed(int n) {
        double u = random.nextDouble();
        return Math.min(n - 1, (int) Math.floor(n * u * u));
    }
}
