package io.sightline.rollup;

import io.sightline.store.PartitionManager;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Writes generated events straight into analytics_events (historical dates are outside the ingestion window), with
 * a fixed seed so every run sees the same data. Values are skewed the way real traffic is: a few countries and
 * devices carry most events, a long tail of cities, some NULLs, conversions with values in two currencies.
 */
final class EventFixture {
    private static final String[] TYPES = {"qr_scan", "placement", "interaction", "conversion", "screenshot", "custom"};
    private static final String[] COUNTRIES = {"DE", "DE", "DE", "US", "US", "FR", "GB", "NL", null};
    private static final String[] OS = {"iOS", "iOS", "Android", "Android", "Android", null};
    private static final String[] DEVICE_TYPES = {"phone", "phone", "phone", "tablet", null};
    private static final String[] BROWSERS = {null, null, "Safari", "Chrome"};
    private static final String[] CURRENCIES = {"EUR", "EUR", "USD"};
    private static final String[] KINDS = {"tap", "rotate", "zoom"};

    private final DataSource dataSource;
    private final Random random;
    private final int visitors;

    EventFixture(DataSource dataSource, long seed, int visitors) {
        this.dataSource = dataSource;
        this.random = new Random(seed);
        this.visitors = visitors;
    }

    static long createApp(Connection c, String name, String timeZone, int retentionDays) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO apps (name, write_key, time_zone, retention_days)"
                + " VALUES (?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, name);
            ps.setString(2, "wk-" + UUID.randomUUID());
            ps.setString(3, timeZone);
            ps.setInt(4, retentionDays);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** {@code count} events spread uniformly over [from, to). */
    void insert(long appId, Instant from, Instant to, int count) throws SQLException {
        long span = Duration.between(from, to).toMillis();
        Instant[] times = new Instant[count];
        for (int i = 0; i < count; i++) {
            times[i] = from.plusMillis((long) (random.nextDouble() * span));
        }
        insert(appId, List.of(times));
    }

    void insert(long appId, List<Instant> times) throws SQLException {
        Set<YearMonth> months = new HashSet<>();
        times.forEach(t -> months.add(PartitionManager.month(t)));
        new PartitionManager(dataSource, Clock.systemUTC(), Duration.ofDays(1)).ensureAll(months);
        String sql = "INSERT INTO analytics_events (app_id, event_id, event_type, event_name, occurred_at, received_at,"
                + " session_id, visitor_id, country, region, city, os, device_type, device_model, browser, app_version,"
                + " properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            int n = 0;
            for (Instant t : times) {
                String type = TYPES[skewed(TYPES.length)];
                int visitor = skewed(visitors);
                ps.setLong(1, appId);
                ps.setObject(2, UUID.randomUUID());
                ps.setString(3, type);
                ps.setString(4, type.equals("custom") ? "custom-" + random.nextInt(4) : null);
                ps.setTimestamp(5, Timestamp.from(t));
                ps.setTimestamp(6, Timestamp.from(t.plusSeconds(2)));
                ps.setString(7, random.nextInt(50) == 0 ? null : "s-" + visitor + "-" + random.nextInt(3));
                ps.setString(8, random.nextInt(50) == 0 ? null : "v-" + visitor);
                String country = pick(COUNTRIES);
                ps.setString(9, country);
                ps.setString(10, country == null ? null : country + "-" + random.nextInt(3));
                ps.setString(11, country == null ? null : "city-" + skewed(200));
                ps.setString(12, pick(OS));
                ps.setString(13, pick(DEVICE_TYPES));
                ps.setString(14, "model-" + skewed(40));
                ps.setString(15, pick(BROWSERS));
                ps.setString(16, "1." + random.nextInt(5));
                ps.setString(17, properties(type));
                ps.addBatch();
                if (++n % 2_000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    private String properties(String type) {
        StringBuilder p = new StringBuilder("{\"qr_code_id\":\"qr-" + skewed(30) + "\"");
        if (random.nextBoolean()) {
            p.append(",\"campaign\":\"camp-").append(random.nextInt(6)).append('"');
        }
        switch (type) {
            case "placement", "interaction" -> {
                p.append(",\"object_id\":\"obj-").append(skewed(20)).append('"');
                if (type.equals("interaction")) {
                    p.append(",\"kind\":\"").append(KINDS[random.nextInt(KINDS.length)]).append('"');
                }
            }
            case "conversion" -> {
                p.append(",\"cta_id\":\"cta-").append(random.nextInt(5)).append('"');
                int r = random.nextInt(10);
                if (r < 7) {
                    // cents, so exact sums are checkable; some with many decimals to prove numeric exactness
                    BigDecimal value = r == 0 ? new BigDecimal("0.1") : BigDecimal.valueOf(random.nextInt(100_000), 2);
                    p.append(",\"value\":").append(value.toPlainString())
                            .append(",\"currency\":\"").append(pick(CURRENCIES)).append('"');
                } else if (r == 7) {
                    p.append(",\"value\":12.5"); // no currency: not a value row
                }
            }
            default -> {
            }
        }
        return p.append('}').toString();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** Zipf-like: low indexes far more often. */
    private int skewed(int n) {
        double u = random.nextDouble();
        return Math.min(n - 1, (int) Math.floor(n * u * u * u));
    }
}
