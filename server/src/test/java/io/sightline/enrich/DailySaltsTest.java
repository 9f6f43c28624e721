package io.sightline.enrich;

import io.sightline.store.Database;
import io.sightline.testing.MutableClock;
import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DailySaltsTest {
    private static final Instant MONDAY_NOON = Instant.parse("2026-11-23T12:00:00Z");
    private static final String IP = "203.0.113.7";
    private static final String UA = "MyApp/2.3 (iPhone14,2; iOS 17.4; Scale/3.00)";

    private static Database database;
    private MutableClock clock;

    @BeforeAll
    static void openDatabase() {
        String url = TestDatabase.createDatabase();
        database = Database.open(url, "postgres", TestDatabase.server().password(), 4);
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void emptySalts() throws Exception {
        clock = new MutableClock(MONDAY_NOON);
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM salts");
        }
    }

    private DailySalts salts(Duration retention) {
        return new DailySalts(new SaltStore(database.dataSource()), clock, retention);
    }

    private static List<String> storedDays() throws Exception {
        List<String> days = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT day::text FROM salts ORDER BY day")) {
            while (rs.next()) {
                days.add(rs.getString(1));
            }
        }
        return days;
    }

    private static String visitor(Salts salts) {
        return salts.today().visitorId(1, IP, UA);
    }

    @Test
    void rotation_creates_todays_and_tomorrows_salt_so_midnight_needs_no_insert() throws Exception {
        salts(Duration.ofHours(48)).rotate();
        assertThat(storedDays()).containsExactly("2026-11-23", "2026-11-24");
    }

    @Test
    void every_instance_uses_the_same_salt() throws Exception {
        Salts a = salts(Duration.ofHours(48)).at(clock.instant());
        Salts b = salts(Duration.ofHours(48)).at(clock.instant());
        assertThat(visitor(a)).isEqualTo(visitor(b));
    }

    @Test
    void a_new_day_brings_a_new_salt_and_keeps_yesterdays_for_visits_across_midnight() throws Exception {
        DailySalts salts = salts(Duration.ofHours(48));
        Salts monday = salts.at(clock.instant());
        clock.set(Instant.parse("2026-11-24T00:05:00Z"));
        Salts tuesday = salts.at(clock.instant());

        assertThat(visitor(tuesday)).isNotEqualTo(visitor(monday));
        assertThat(tuesday.yesterday()).isPresent();
        assertThat(tuesday.yesterday().get().visitorId(1, IP, UA)).isEqualTo(visitor(monday));
    }

    @Test
    void a_salt_is_deleted_once_its_retention_has_passed() throws Exception {
        DailySalts salts = salts(Duration.ofHours(48));
        salts.rotate();
        clock.set(Instant.parse("2026-11-24T23:30:00Z"));
        salts.rotate();
        assertThat(storedDays()).containsExactly("2026-11-23", "2026-11-24", "2026-11-25");
        assertThat(salts.at(clock.instant()).yesterday()).as("Monday's salt still serves Tuesday").isPresent();

        clock.set(Instant.parse("2026-11-25T00:00:00Z"));
        salts.rotate();

        assertThat(storedDays()).containsExactly("2026-11-24", "2026-11-25", "2026-11-26");
        assertThat(salts.at(clock.instant()).yesterday().orElseThrow().visitorId(1, IP, UA))
                .as("Wednesday's yesterday is Tuesday").isNotEqualTo(visitor(salts(Duration.ofHours(48))
                        .at(MONDAY_NOON)));
    }

    @Test
    void a_cached_yesterday_salt_stops_being_used_the_moment_it_expires_even_before_the_job_runs() throws Exception {
        DailySalts salts = salts(Duration.ofHours(36));
        salts.at(clock.instant());
        clock.set(Instant.parse("2026-11-24T11:59:59Z"));
        assertThat(salts.at(clock.instant()).yesterday()).isPresent();

        clock.set(Instant.parse("2026-11-24T12:00:00Z"));
        assertThat(salts.at(clock.instant()).yesterday()).isEmpty();
    }

    @Test
    void with_a_one_day_retention_no_salt_outlives_its_day() throws Exception {
        DailySalts salts = salts(Duration.ofHours(24));
        salts.rotate();
        clock.set(Instant.parse("2026-11-24T00:00:01Z"));
        salts.rotate();

        assertThat(storedDays()).containsExactly("2026-11-24", "2026-11-25");
        assertThat(salts.at(clock.instant()).yesterday()).isEmpty();
    }
}
