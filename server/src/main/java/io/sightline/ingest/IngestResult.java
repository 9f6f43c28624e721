package io.sightline.ingest;

import java.util.List;
import java.util.UUID;

/** What one ingestion request achieved: the stored events and, by index, the refused ones. */
public record IngestResult(int accepted, List<UUID> eventIds, List<Rejection> rejected) {

    /** One refused item of a batch; {@code field} is a dotted path inside that item. */
    public record Rejection(int index, String code, String field, String message) {}
}
