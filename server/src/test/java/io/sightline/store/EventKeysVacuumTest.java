package io.sightline.store;

import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V23: autovacuum does not vacuum {@code event_keys} for its inserts alone (that pass held up ingestion and set only
 * visibility bits nothing reads); its deletes and wraparound still get it vacuumed, and the event partitions keep
 * the insert-driven pass.
 */
class EventKeysVacuumTest {

    @Test
    void event_keys_has_no_insert_driven_vacuum_and_keeps_the_others() throws Exception {
        try (Database db = Database.open(TestDatabase.createDatabase(), "postgres", TestDatabase.server().password(), 2);
             Connection c = db.dataSource().getConnection();
             Statement s = c.createStatement()) {
            assertThat(options(s, "event_keys")).containsExactly("autovacuum_vacuum_insert_threshold=-1");
            assertThat(options(s, "analytics_events")).isEmpty();
        }
    }

    private static List<String> options(Statement s, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT unnest(reloptions) FROM pg_class WHERE oid = '" + table + "'::regclass")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
