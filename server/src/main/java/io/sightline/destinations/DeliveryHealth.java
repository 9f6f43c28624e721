package io.sightline.destinations;

import io.sightline.auth.AppStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How forwarding to each destination of an app is going: the tallies of the last days, what waits now, and how long
 * the oldest of it has waited.
 *
 * <p>An event waits for a destination while it is either still in the outbox (stored, not yet dispatched) and the
 * destination wants it, or has a pending delivery for it (a transient failure waiting for its retry, or deferred
 * while the destination is paused). The two never hold the same event: dispatching deletes the outbox row in the
 * transaction that records the delivery, and all is read in one snapshot. Its age counts from when the writer
 * queued it, i.e. when Sightline stored it, not from the event's own {@code occurred_at}, which an app sending a
 * day's events late would push back without anything being slow here.
 */
public final class DeliveryHealth {
    public static final int MAX_DAYS = 90;
    /** The admin route reads the whole outbox of the app; a backlog past this is cut off rather than hold a connection. */
    private static final int TIMEOUT_SECONDS = 30;

    /** One destination's health; {@code oldestPendingAt} null and {@code lagSeconds} 0 when nothing waits. */
    public record Row(long id, String name, String type, boolean enabled, long delivered, long retried, long failed,
                      long dead, long expired, long skipped, long pending, Instant oldestPendingAt, long lagSeconds) {}

    public record Answer(int days, List<Row> destinations) {}

    private final DataSource dataSource;
    private final AppStore apps;
    private final DestinationStore destinations;
    private final Clock clock;

    public DeliveryHealth(DataSource dataSource, AppStore apps, DestinationStore destinations, Clock clock) {
        this.dataSource = dataSource;
        this.apps = apps;
        this.destinations = destinations;
        this.clock = clock;
    }

    /**
     * The app's destinations in id order; counts from {@code delivery_counts} over the last {@code days} UTC days,
     * today included (its tallies are kept per UTC day).
     */
    public Answer health(long appId, int days) throws SQLException {
        if (days < 1 || days > MAX_DAYS) {
            throw DestinationError.invalid("days", "days must be a whole number from 1 to " + MAX_DAYS);
        }
        if (apps.byId(appId).isEmpty()) {
            throw new DestinationError(DestinationError.Reason.NOT_FOUND, "app", "no app with that id");
        }
        Instant now = clock.instant();
        LocalDate firstDay = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(days - 1L);
        Map<Long, DeliveryStore.Counts> counts;
        Map<Long, DeliveryStore.Waiting> pending;
        Map<Long, DeliveryStore.Waiting> fresh;
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL statement_timeout = '" + TIMEOUT_SECONDS + "s'");
                counts = DeliveryStore.countsSince(c, appId, firstDay);
                pending = DeliveryStore.pending(c, appId);
                fresh = OutboxStore.waitingNew(c, appId);
            } finally {
                c.rollback(); // the pool resets read-only, isolation and auto-commit when it takes the connection back
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Destination d : destinations.list(appId)) {
            DeliveryStore.Counts n = counts.getOrDefault(d.id(), DeliveryStore.Counts.NONE);
            DeliveryStore.Waiting none = new DeliveryStore.Waiting(0, null);
            DeliveryStore.Waiting w = pending.getOrDefault(d.id(), none).plus(fresh.getOrDefault(d.id(), none));
            long lag = w.oldestQueuedAt() == null ? 0
                    : Math.max(0, Duration.between(w.oldestQueuedAt(), now).toSeconds());
            rows.add(new Row(d.id(), d.name(), d.type().wireName(), d.enabled(), n.delivered(), n.retried(), n.failed(),
                    n.dead(), n.expired(), n.skipped(), w.count(), w.oldestQueuedAt(), lag));
        }
        return new Answer(days, rows);
    }
}
