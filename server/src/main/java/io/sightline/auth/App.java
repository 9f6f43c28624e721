package io.sightline.auth;

import java.time.Instant;

/** An app whose events Sightline collects; its write key goes into the app's SDK configuration. */
public record App(long id, String name, String writeKey, Instant createdAt, int retentionDays, String timeZone) {}
