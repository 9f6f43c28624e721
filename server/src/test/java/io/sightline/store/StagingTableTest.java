package io.sightline.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.event.Event;
import io.sightline.event.EventValidator;
import io.sightline.event.Validation;
import io.sightline.event.ValidationLimits;
import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's staging table is emptied by each move, whichever of its four shapes, and its dead rows are reclaimed every
 * {@link BatchCommitter#VACUUM_EVERY} commits, so it stays a few pages however long the connection lives.
 */
class StagingTableTest {
    private static final int ROWS_PER_COMMIT = 20;
    private static final int COMMITS = 6 * BatchCommitter.VACUUM_EVERY;

    @Test
    void each_move_empties_the_staging_table_and_its_size_stays_bounded() throws Exception {
        Clock clock = Clock.systemUTC();
        EventValidator validator = new EventValidator(ValidationLimits.defaults(), clock);
        ObjectMapper mapper = new ObjectMapper();
        try (Database db = Database.open(TestDatabase.createDatabase(), "postgres", TestDatabase.server().password(), 2)) {
            PartitionManager partitions = new PartitionManager(db.dataSource(), clock, Duration.ofDays(7));
            long sizeAfterFirstVacuum = 0;
            try (BatchCommitter committer = new BatchCommitter(db.dataSource(), partitions, LateEventMarks.DEFAULT)) {
                for (int i = 1; i <= COMMITS; i++) {
                    // Every shape of the move in turn: with late marks or not, with client data or not.
                    boolean late = (i & 2) != 0;
                    byte[] clientData = (i & 1) != 0 ? new byte[] {1, 2, 3} : null;
                    CopyRowEncoder encoder = new CopyRowEncoder();
                    Instant now = clock.instant();
                    Instant occurred = late ? now.minus(Duration.ofHours(1)) : now;
                    for (int r = 0; r < ROWS_PER_COMMIT; r++) {
                        Event event = ((Validation.Valid) validator.validate(mapper.readTree("{\"event_id\":\""
                                + UUID.randomUUID() + "\",\"type\":\"placement\",\"occurred_at\":\"" + occurred
                                + "\",\"properties\":{\"object_id\":\"chair-3\",\"note\":\"" + "x".repeat(300) + "\"}}"))).event();
                        encoder.encodeStaged(new EventRow(1, event, now, null, false, Set.of(), clientData));
                    }
                    committer.commit(List.of(encoder.toByteArray()), new HashSet<>(List.of(
                            PartitionManager.month(now), PartitionManager.month(occurred))), occurred, clientData != null);
                    long[] staging = committer.staging();
                    assertThat(staging[0]).as("rows left in staging after commit %d", i).isZero();
                    if (i == BatchCommitter.VACUUM_EVERY + 1) {
                        sizeAfterFirstVacuum = staging[1];
                    }
                }
                // Without the vacuum, 384 commits of dead rows take about six times the size of 65 commits' worth.
                assertThat(committer.staging()[1]).isLessThanOrEqualTo(2 * Math.max(sizeAfterFirstVacuum, 8192));
            }
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM analytics_events")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo((long) COMMITS * ROWS_PER_COMMIT);
                assertThat(r.getLong(2)).isEqualTo((long) COMMITS * ROWS_PER_COMMIT);
            }
        }
    }
}
