package io.sightline.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where ingestion hands its finished rows: the last stage of the pipeline. The contract every implementation
 * keeps is the one an acknowledgement rests on: the returned future completes normally only once the rows are
 * durable (committed, or accepted by a durable log), so a client told "accepted" never loses an event.
 *
 * <p>{@link EventWriter} (PostgreSQL, group commit) is the first sink; a Kafka transport or an outbox hooked
 * into the same commit plug in here.
 */
public interface EventSink {

    /**
     * Takes rows for storing. Throws {@link WriteRejectedException} when they cannot even be taken (full, down,
     * stopping); the future may also complete exceptionally with it. The caller may time the future out: a late
     * commit still stores the rows, which clients then retry by event id, harmlessly.
     */
    CompletableFuture<Void> submit(List<EventRow> rows);
}
