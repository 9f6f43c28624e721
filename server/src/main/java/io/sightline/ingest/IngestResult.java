package io.sightline.ingest;

import java.util.List;
import java.util.UUID;

/**
 * What one ingestion request achieved: the stored events, and by index the refused ones (invalid, 4xx
 * codes) and the dropped ones (valid but deliberately not stored, such as bots or no consent).
 * {@code eventIds} holds the id of every valid event, stored or dropped.
 */
public record IngestResult(int accepted, List<UUID> eventIds, List<Rejection> rejected, List<Drop> dropped) {

    /** One refused item of a batch; {@code field} is a dotted path inside that item. */
    public record Rejection(int index, String code, String field, String message) {}

    /** One valid item that was not stored, and why ({@code no_consent}, {@code bot}). */
    public record Drop(int index, String reason) {}
}
