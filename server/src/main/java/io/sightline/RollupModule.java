package io.sightline;

import io.sightline.config.Config;
import io.sightline.http.Routes;
import io.sightline.rollup.BackfillService;
import io.sightline.rollup.JobScheduler;
import io.sightline.rollup.RetentionJob;
import io.sightline.rollup.RetentionPolicy;
import io.sightline.rollup.RollupHandler;
import io.sightline.rollup.RollupJob;
import io.sightline.rollup.RollupService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Rollups and retention: the backfill service and its routes, and (unless {@code SIGHTLINE_JOBS=false}) the
 * scheduled rollup and retention jobs, which db-scheduler runs on one instance at a time.
 */
final class RollupModule {
    private static final Logger log = LoggerFactory.getLogger(RollupModule.class);
    /** How often an idle scheduler looks for due jobs. */
    private static final Duration JOB_POLLING = Duration.ofSeconds(10);

    private final RollupHandler handler;

    private RollupModule(RollupHandler handler) {
        this.handler = handler;
    }

    static RollupModule build(Shared shared) {
        var dataSource = shared.database().dataSource();
        RetentionPolicy retention = retentionPolicy(shared.config());
        RollupService rollups = new RollupService(dataSource, shared.clock(), retention.rollupDelay());
        BackfillService backfills = new BackfillService(dataSource, rollups, shared.clock(), retention, shared.metrics());
        shared.teardown().push("backfills", backfills);
        if (shared.config().rollup().jobs()) {
            JobScheduler jobs = new JobScheduler(dataSource, shared.clock(), JOB_POLLING, List.of(
                    new RollupJob(dataSource, rollups, shared.clock(), retention, shared.metrics())
                            .task(shared.config().rollup().interval()),
                    new RetentionJob(dataSource, shared.clock(), retention).task()));
            shared.teardown().push("rollup and retention jobs", jobs);
            jobs.start();
        } else {
            log.info("Scheduled rollup and retention jobs are off on this instance (SIGHTLINE_JOBS=false)");
        }
        return new RollupModule(new RollupHandler(backfills, shared.mapper()));
    }

    static RetentionPolicy retentionPolicy(Config config) {
        return new RetentionPolicy(config.rollup().retentionDays(), config.rollup().statsRetentionDays(),
                config.ingest().backfillWindow(), config.rollup().delay(), config.ingest().futureTolerance());
    }

    Routes routes() {
        return handler::routes;
    }
}
