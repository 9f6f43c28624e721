package io.sightline.sdk;

/**
 * What the client's background threads report, for an app's logs or metrics. Every method defaults to doing
 * nothing; they are called on the SDK's own threads and must return quickly and never throw.
 */
public interface SightlineListener {
    /** The server stored (or deliberately dropped, as for a bot) a batch; {@code rejected} of them were invalid. */
    default void batchSent(int events, int rejected) {
    }

    /** A batch was not taken (a 5xx, 408, 429 or a network error) and is sent again, with the same ids, after the delay. */
    default void retrying(int status, long delayMillis, Exception cause) {
    }

    /** A batch was refused as a whole (a 4xx other than 408 and 429) and its events are discarded. */
    default void batchRefused(int events, int status, String answer) {
    }

    /** Events were discarded before sending: the on-disk bound was reached, the memory queue was full, or the disk failed. */
    default void eventsDropped(long count, String reason) {
    }
}
