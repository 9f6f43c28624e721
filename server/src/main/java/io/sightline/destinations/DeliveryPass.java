package io.sightline.destinations;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends claimed rows to one destination, then records what became of each. Sending needs no database, so the
 * forwarder runs the sends of several destinations at once and applies their results on its one connection.
 *
 * <p>A destination whose whole request failed transiently is paused (in this instance's memory) for the backoff
 * time; while it is paused, its rows are deferred to the end of the pause without being sent and without using an
 * attempt of their budget, so an outage of hours costs one probe per backoff step, not one per event.
 */
final class DeliveryPass {
    /** One row and what became of it; {@code outcome} null means deferred (not sent: the destination is paused). */
    record Result(OutboxStore.Claimed row, Outcome outcome) {}

    /** Per destination: consecutive failed requests and the end of its pause. */
    private record Health(int failures, Instant pausedUntil) {}

    /** Where the platform calls run: not the pool of the caller, which waits on them. */
    /**
     * How close to the edge of the window a skipped retry counts as aged out: the clients skip events a minute
     * before the edge, so that a request in flight does not cross it.
     */
    private static final Duration AGE_OUT_MARGIN = Duration.ofMinutes(5);

    private final ExecutorService calls;
    private final Duration sendTimeout;
    private final Backoff backoff;
    private final int maxAttempts;
    private final DeliveryStore deliveries;
    private final ClientDataCipher clientData;
    private final ConcurrentHashMap<Long, Health> health = new ConcurrentHashMap<>();

    DeliveryPass(ExecutorService calls, Duration sendTimeout, Backoff backoff, int maxAttempts,
                 DeliveryStore deliveries, ClientDataCipher clientData) {
        this.calls = calls;
        this.clientData = clientData;
        this.sendTimeout = sendTimeout;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.deliveries = deliveries;
    }

    /** Whether the destination is paused at {@code now}. */
    boolean paused(long destinationId, Instant now) {
        Health h = health.get(destinationId);
        return h != null && h.pausedUntil().isAfter(now);
    }

    /** Sends the rows (all of {@code d}'s app, with an event, wanted by one of its rules) in the platform's batches. */
    List<Result> send(Platform platform, ActiveDestination d, List<OutboxStore.Claimed> rows, Instant now)
            throws InterruptedException {
        List<Result> results = new ArrayList<>(rows.size());
        List<OutboxStore.Claimed> sendable = new ArrayList<>();
        List<Outgoing> outgoing = new ArrayList<>();
        Instant oldest = now.minus(platform.window());
        for (OutboxStore.Claimed row : rows) {
            if (row.occurredAt().isBefore(oldest)) {
                results.add(new Result(row, new Outcome.Skipped("older than " + d.type().wireName() + "'s window of "
                        + describe(platform.window()))));
                continue;
            }
            EventRule rule = d.ruleFor(row.event().eventType(), row.event().eventName());
            // The platform names an event its rule leaves unnamed from the event itself (Meta: Purchase or Lead).
            String name = rule != null && rule.name() != null ? rule.name()
                    : platform.defaultEventName(row.event().toOutgoing(row.outboxId(), "?"));
            ClientDataCipher.ClientData client = d.config().sendClientData()
                    ? clientData.open(row.appId(), row.eventId(), row.clientData()) : null;
            sendable.add(row);
            outgoing.add(row.event().toOutgoing(row.outboxId(), name, client));
        }
        for (int from = 0; from < sendable.size(); from += platform.maxBatch()) {
            int to = Math.min(sendable.size(), from + platform.maxBatch());
            List<OutboxStore.Claimed> chunk = sendable.subList(from, to);
            if (paused(d.id(), now)) {
                chunk.forEach(row -> results.add(new Result(row, null)));
                continue;
            }
            List<Outcome> outcomes = sendWithTimeout(platform, d, outgoing.subList(from, to));
            for (int i = 0; i < chunk.size(); i++) {
                results.add(new Result(chunk.get(i), outcomes.get(i)));
            }
            noteHealth(d.id(), outcomes, now);
        }
        return results;
    }

    /**
     * Records the results in the caller's transaction and returns the tally. {@code retrying}: the rows came from
     * {@code destination_deliveries} (they have a row there and an attempt count) rather than from the outbox.
     */
    DeliveryStore.Tally apply(Connection c, ActiveDestination d, Duration window, List<Result> results,
                              boolean retrying, Instant now) throws SQLException {
        DeliveryStore.Tally tally = new DeliveryStore.Tally();
        for (Result r : results) {
            OutboxStore.Claimed row = r.row();
            int attempts = row.attempts() + 1;
            if (r.outcome() == null) {
                Instant resume = pausedUntil(d.id(), now);
                deliveries.record(c, d.id(), row, DeliveryStatus.PENDING, row.attempts(), resume, now,
                        "deferred: the destination is paused after failed requests");
            } else if (r.outcome() instanceof Outcome.Delivered) {
                tally.delivered++;
                if (retrying) {
                    deliveries.delete(c, d.id(), row.eventId());
                }
            } else if (r.outcome() instanceof Outcome.Retry retry) {
                tally.retried++;
                if (attempts >= maxAttempts) {
                    tally.dead++;
                    deliveries.record(c, d.id(), row, DeliveryStatus.DEAD, attempts, now, now,
                            "gave up after " + attempts + " attempts: " + retry.message());
                } else {
                    deliveries.record(c, d.id(), row, DeliveryStatus.PENDING, attempts,
                            now.plus(backoff.after(attempts, retry.retryAfter())), now, retry.message());
                }
            } else if (r.outcome() instanceof Outcome.Failed failed) {
                tally.failed++;
                tally.dead++;
                deliveries.record(c, d.id(), row, DeliveryStatus.DEAD, attempts, now, now, failed.message());
            } else if (r.outcome() instanceof Outcome.Skipped skipped && retrying
                    && row.occurredAt().isBefore(now.minus(window).plus(AGE_OUT_MARGIN))) {
                // It was sendable when it was queued and aged out while it waited: expired, as the housekeeping
                // would have marked it had it run first, not skipped (never sendable).
                tally.expired++;
                deliveries.record(c, d.id(), row, DeliveryStatus.EXPIRED, row.attempts(), now, now,
                        skipped.reason() + " before it could be delivered");
            } else if (r.outcome() instanceof Outcome.Skipped skipped) {
                tally.skipped++;
                deliveries.record(c, d.id(), row, DeliveryStatus.SKIPPED, row.attempts(), now, now, skipped.reason());
            }
        }
        return tally;
    }

    private List<Outcome> sendWithTimeout(Platform platform, ActiveDestination d, List<Outgoing> batch)
            throws InterruptedException {
        Future<List<Outcome>> future = calls.submit(() -> platform.send(d.config(), List.copyOf(batch)));
        List<Outcome> outcomes;
        try {
            outcomes = future.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            outcomes = null;
        } catch (ExecutionException e) {
            outcomes = null; // a client bug; treat as transient so nothing is lost, and say so below
        }
        if (outcomes == null || outcomes.size() != batch.size()) {
            String why = outcomes == null ? "no answer within " + describe(sendTimeout) : "the client answered for "
                    + outcomes.size() + " of " + batch.size() + " events";
            Outcome retry = new Outcome.Retry(null, why);
            return batch.stream().map(e -> retry).toList();
        }
        return outcomes;
    }

    private void noteHealth(long destinationId, List<Outcome> outcomes, Instant now) {
        boolean allRetry = !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o instanceof Outcome.Retry);
        if (!allRetry) {
            health.remove(destinationId);
            return;
        }
        Duration retryAfter = outcomes.stream().map(o -> ((Outcome.Retry) o).retryAfter())
                .filter(java.util.Objects::nonNull).max(Duration::compareTo).orElse(null);
        health.compute(destinationId, (id, h) -> {
            int failures = h == null ? 1 : h.failures() + 1;
            return new Health(failures, now.plus(backoff.after(failures, retryAfter)));
        });
    }

    private Instant pausedUntil(long destinationId, Instant now) {
        Health h = health.get(destinationId);
        return h == null || h.pausedUntil().isBefore(now) ? now : h.pausedUntil();
    }

    static String describe(Duration d) {
        if (d.toDays() >= 1 && d.toHours() % 24 == 0) {
            return d.toDays() + " days";
        }
        if (d.toHours() >= 1 && d.toMinutes() % 60 == 0) {
            return d.toHours() + " hours";
        }
        return d.toSeconds() + " s";
    }
}
