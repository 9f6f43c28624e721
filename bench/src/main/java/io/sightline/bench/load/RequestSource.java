package io.sightline.bench.load;

import java.nio.ByteBuffer;

/**
 * Produces the bytes of each request the generator sends. Called once per request from the I/O threads,
 * possibly several at once: implementations must be thread-safe and should not allocate.
 */
public interface RequestSource {

    /** Upper bound on the size of any request; each connection allocates one buffer of this capacity. */
    int maxRequestBytes();

    /** Writes one complete HTTP/1.1 request, head and body, at {@code out}'s position and advances it. */
    void writeNext(ByteBuffer out);
}
