package io.sightline.bench.load;

/**
 * A response the generator cannot read (chunked, malformed, head too large). It aborts the whole run: such a
 * target is misconfigured, and counting its responses as errors would print numbers that mean nothing.
 */
public final class HttpProtocolException extends RuntimeException {
    public HttpProtocolException(String message) {
        super(message);
    }
}
