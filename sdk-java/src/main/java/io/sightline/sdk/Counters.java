package io.sightline.sdk;

import java.util.concurrent.atomic.AtomicLong;

/** Events that will never reach the server, by cause, since the client started. */
final class Counters {
    /** Refused by the server (a 4xx for the batch, or listed as rejected) or too large to send. */
    final AtomicLong rejected = new AtomicLong();
    /** Not queued because the in-memory queue was full. */
    final AtomicLong memoryFull = new AtomicLong();
    /** Not written because the disk failed. */
    final AtomicLong failed = new AtomicLong();
    /** Stored or deliberately dropped by the server (accepted, or dropped as a bot). */
    final AtomicLong sent = new AtomicLong();
}
