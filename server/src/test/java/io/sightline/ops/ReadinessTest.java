package io.sightline.ops;

import io.sightline.store.Database;
import io.sightline.store.EventWriter;
import io.sightline.store.PartitionManager;
import io.sightline.store.WriteRejectedException;
import io.sightline.store.WriterListener;
import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadinessTest {

    @Test
    void turns_not_ready_and_refuses_events_once_shutdown_starts_draining() throws Exception {
        try (Database db = Database.open(TestDatabase.createDatabase(), "postgres", TestDatabase.server().password(), 2)) {
            PartitionManager partitions = new PartitionManager(db.dataSource(), Clock.systemUTC(), Duration.ofDays(7));
            EventWriter writer = new EventWriter(db, partitions, 1_000, 100, 1, WriterListener.NONE);
            writer.start();
            Lifecycle lifecycle = new Lifecycle();
            Readiness readiness = new Readiness(lifecycle, db, writer, Clock.systemUTC());
            assertThat(readiness.checks()).containsEntry("accepting", true).containsEntry("database", true)
                    .doesNotContainValue(false);

            lifecycle.startDraining();
            assertThat(writer.drain(Duration.ofSeconds(5))).isTrue();
            assertThat(readiness.checks()).containsEntry("accepting", false);
            assertThatThrownBy(() -> writer.submit(List.of()))
                    .isInstanceOfSatisfying(WriteRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(WriteRejectedException.Reason.SHUTTING_DOWN));
        }
    }
}
