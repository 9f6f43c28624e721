package io.sightline.stats;

import io.sightline.error.Kind;
import io.sightline.store.Database;
import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Funnels share the pool with ingestion, so only a few run at once. */
class FunnelLimitTest {
    @Test
    void a_third_funnel_while_two_run_is_answered_429_and_runs_once_one_has_finished() throws Exception {
        try (Database db = Database.open(TestDatabase.createDatabase(), "postgres", TestDatabase.server().password(), 4)) {
            CountDownLatch release = new CountDownLatch(1);
            // Each funnel below reads 2 chunks (6 h, then the 1 h window after), both queued at once: when all are
            // queued, every funnel holds its place.
            CountDownLatch queued = new CountDownLatch(FunnelService.MAX_RUNNING * 2);
            // Chunk reads wait until released, so the first funnels stay running.
            Executor held = task -> {
                Thread t = new Thread(() -> {
                    queued.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    task.run();
                });
                t.setDaemon(true);
                t.start();
            };
            FunnelService service = new FunnelService(null, null, db.dataSource(), 30, held);
            FunnelQuery query = new FunnelQuery(new StatsQuery(1, Instant.parse("2026-11-01T00:00:00Z"),
                    Instant.parse("2026-11-01T06:00:00Z"), ZoneOffset.UTC, List.of(), List.of()),
                    FunnelQuery.steps("qr_scan,placement"), FunnelQuery.window("1h"), FunnelQuery.Count.VISITORS);

            List<CompletableFuture<FunnelResult>> running = new ArrayList<>();
            for (int i = 0; i < FunnelService.MAX_RUNNING; i++) {
                running.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return service.run(query);
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
            // Answered at once (a funnel let through would wait for the held chunks and time out here).
            CompletableFuture<FunnelResult> third = CompletableFuture.supplyAsync(() -> {
                try {
                    return service.run(query);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> third.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(QueryError.class)
                    .satisfies(e -> assertThat(((QueryError) e.getCause()).kind()).isEqualTo(Kind.RATE_LIMITED));

            release.countDown();
            for (CompletableFuture<FunnelResult> funnel : running) {
                assertThat(funnel.get(30, TimeUnit.SECONDS).steps()).hasSize(2);
            }
            assertThat(service.run(query).steps().get(0).count()).isZero();
        }
    }
}
