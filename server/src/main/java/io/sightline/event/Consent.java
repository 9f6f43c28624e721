package io.sightline.event;

/** The user's consent choices; null means the client did not say. */
public record Consent(Boolean analytics, Boolean ads) {}
