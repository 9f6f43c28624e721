package io.sightline.destinations;

import java.time.Duration;

/** What became of one event in one request to a platform. */
public sealed interface Outcome {
    /** The platform accepted it. */
    record Delivered() implements Outcome {}

    /**
     * A transient failure (timeout, 5xx, 429, a quota): try again later, after {@code retryAfter} when the platform
     * said so (null otherwise). {@code message} is the platform's own, without credentials.
     */
    record Retry(Duration retryAfter, String message) implements Outcome {}

    /** A permanent failure (the platform refused the event itself): dead-lettered with the platform's message. */
    record Failed(String message) implements Outcome {}

    /** Not sent, and never will be (too old for the platform, no match key it can use): recorded with the reason. */
    record Skipped(String reason) implements Outcome {}

    Outcome DELIVERED = new Delivered();
}
