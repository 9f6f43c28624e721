package io.sightline.store;

import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
             Connection c = db.dataSource().getConnection()) {
            assertThat(options(c, "event_keys")).as("only the insert-driven pass is off; autovacuum itself stays on")
                    .containsExactly("autovacuum_vacuum_insert_threshold=-1");
            assertThat(options(c, "analytics_events")).isEmpty();
        }
    }

    private static List<String> options(Connection c, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT unnest(reloptions) FROM pg_class WHERE oid = ?::regclass")) {
            p.setString(1, table);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }
}
