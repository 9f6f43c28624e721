package io.sightline.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.event.Traits;

/**
 * What one Segment message becomes: an event for the pipeline, a link from an anonymous visitor to a user
 * ({@code identify}, {@code alias}), nothing ({@code group}, or an {@code identify} that names no pair), or a
 * drop with the reason it is counted by.
 */
sealed interface SegmentMessage {

    /** The message's position in its request. */
    int index();

    /**
     * A native event; {@code ip} and {@code userAgent} are what the message's context says of its sender (null:
     * the transport's).
     */
    record ToEvent(int index, ObjectNode event, String visitorId, String userId, String ip, String userAgent)
            implements SegmentMessage {}

    /** {@code visitorId} is known as {@code userId} from now on; traits hashed. */
    record Link(int index, String visitorId, String userId, Traits traits) implements SegmentMessage {}

    /** Accepted and acknowledged; nothing to store. */
    record Nothing(int index) implements SegmentMessage {}

    /** Not stored: {@code code} is the counted reason, {@code field} the member at fault (never its value). */
    record Dropped(int index, String code, String field) implements SegmentMessage {}
}
