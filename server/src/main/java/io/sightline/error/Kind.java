package io.sightline.error;

/**
 * What sort of failure a {@link DomainException} is, in the service's own terms. The edge maps each kind to one
 * HTTP status; a CLI or a queue consumer maps it to an exit code or a retry decision instead.
 */
public enum Kind {
    /** The caller's input is wrong; the same request will fail again. */
    INVALID,
    /** No credentials, or credentials that are not valid. */
    UNAUTHENTICATED,
    /** Valid credentials that do not reach this resource. */
    FORBIDDEN,
    /** The thing asked for does not exist (or is not visible to the caller). */
    NOT_FOUND,
    /** The request clashes with the current state (a backfill already running, say). */
    CONFLICT,
    /** The input is larger than a documented limit. */
    TOO_LARGE,
    /** The caller asks too often; it may retry later. */
    RATE_LIMITED,
    /** A temporary condition (storage down, queue full, shutting down); retrying later is right. */
    UNAVAILABLE,
    /** A fault of the server; the caller learns nothing more. */
    INTERNAL
}
