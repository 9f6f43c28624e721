package io.sightline.event;

/**
 * Where an event happened, as the client reports it; every component may be null, but latitude and longitude
 * are either both present or both null.
 */
public record Location(Double latitude, Double longitude, String city, String country, Double accuracyM) {}
