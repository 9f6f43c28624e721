package io.sightline.auth;

import java.time.Instant;

/** A read-only link to one app's dashboard, as listed: never the token itself. */
public record ShareLink(long id, String label, Instant createdAt, Instant revokedAt) {}
