package io.sightline.auth;

import java.time.Instant;

/** A read-only API token of one app, as listed: never the secret itself. */
public record ApiToken(long id, long appId, String label, Instant createdAt, Instant revokedAt) {
}
