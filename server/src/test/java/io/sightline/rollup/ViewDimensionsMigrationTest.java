package io.sightline.rollup;

import io.sightline.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V21 gives the days and months rolled before views existed the rows of the view dimensions without rolling them
 * again: here a month rolled by the current code (whose events hold no view) loses those rows, V21's statements put
 * them back, and they are the very rows the roll-up wrote.
 */
class ViewDimensionsMigrationTest {
    private static final LocalDate FEBRUARY = LocalDate.of(2026, 2, 1);
    private static final String VIEW_DIMENSIONS = "('screen_name', 'path', 'referrer_domain')";
    private static final String[] SNAPSHOTS = {
            "SELECT day, event_type, dimension, value, events, encode(visitors, 'hex'), encode(sessions, 'hex'),"
                    + " visitor_count, session_count FROM analytics_daily_stats",
            "SELECT day, event_type, dimension, value, events, encode(visitors, 'hex'), encode(sessions, 'hex'),"
                    + " visitor_count, session_count FROM analytics_monthly_stats",
            "SELECT day, dimension, value, currency, conversions, value_sum FROM analytics_daily_values",
            "SELECT day, dimension, value, currency, conversions, value_sum FROM analytics_monthly_values"};
    private static Database db;
    private static long app;

    @BeforeAll
    static void rollAMonthWithoutViews() throws Exception {
        db = RollupDatabase.open();
        RollupService service = new RollupService(db.dataSource(), Clock.systemUTC());
        try (Connection c = db.dataSource().getConnection()) {
            app = EventFixture.createApp(c, "before-views", "UTC", 365);
        }
        Instant from = FEBRUARY.atStartOfDay(ZoneOffset.UTC).toInstant();
        new EventFixture(db.dataSource(), 21, 500).insert(app, from, from.plusSeconds(86_400L * 28), 4_000);
        for (LocalDate day = FEBRUARY; day.getMonthValue() == 2; day = day.plusDays(1)) {
            service.rollUp(app, day, day.getDayOfMonth() == 28);
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void the_migration_writes_for_old_rollups_the_rows_a_roll_up_writes() throws Exception {
        List<List<String>> rolled = snapshot();
        assertThat(rolled.get(1)).as("the month is built").isNotEmpty();
        assertThat(rolled.get(2)).as("conversions with values").isNotEmpty();
        for (List<String> rows : rolled) {
            assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row).contains("|'' "));
        }

        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("analytics_daily_stats", "analytics_monthly_stats", "analytics_daily_values",
                    "analytics_monthly_values")) {
                s.execute("DELETE FROM " + table + " WHERE dimension IN " + VIEW_DIMENSIONS);
            }
            s.execute(backfillStatements());
        }

        assertThat(snapshot()).isEqualTo(rolled);
    }

    /** V21 from its first INSERT on: the statements that copy rows (the function it creates exists already). */
    private static String backfillStatements() throws Exception {
        try (InputStream in = ViewDimensionsMigrationTest.class.getResourceAsStream("/db/migration/V21__views.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return sql.substring(sql.indexOf("INSERT INTO"));
        }
    }

    /** Per table, the rows of the view dimensions of the app, each as text, in a fixed order. */
    private static List<List<String>> snapshot() throws Exception {
        List<List<String>> tables = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection()) {
            for (String select : SNAPSHOTS) {
                List<String> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(select + " WHERE app_id = ? AND dimension IN "
                        + VIEW_DIMENSIONS + " ORDER BY 1, 2, 3, 4");
                     ResultSet rs = (bind(ps, app)).executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            String value = rs.getString(i);
                            row.append('|').append(value == null ? "null" : value.isEmpty() ? "''" : value).append(' ');
                        }
                        rows.add(row.toString());
                    }
                }
                tables.add(rows);
            }
        }
        return tables;
    }

    private static PreparedStatement bind(PreparedStatement ps, long appId) throws Exception {
        ps.setLong(1, appId);
        return ps;
    }
}
