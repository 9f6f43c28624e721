package io.sightline.rollup;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * db-scheduler over the {@code scheduled_tasks} table: every server instance runs one, and for each recurring task
 * the instance that picks its execution (an optimistic update of that row) is the only one that runs it.
 */
public final class JobScheduler implements AutoCloseable {
    private final Scheduler scheduler;

    public JobScheduler(DataSource dataSource, Clock clock, Duration pollingInterval, List<RecurringTask<Void>> tasks) {
        // Names must differ between instances (several may share a host or a JVM in tests).
        String name = "sightline-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.scheduler = Scheduler.create(dataSource)
                .startTasks(List.copyOf(tasks))
                .schedulerName(new SchedulerName.Fixed(name))
                .clock(clock::instant)
                .pollingInterval(pollingInterval)
                .threads(2)
                .shutdownMaxWait(Duration.ofSeconds(30))
                .build();
    }

    public void start() {
        scheduler.start();
    }

    /** Stops polling and waits (up to 30 s) for running executions; call before the pool closes. */
    @Override
    public void close() {
        scheduler.stop();
    }
}
