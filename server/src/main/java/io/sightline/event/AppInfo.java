package io.sightline.event;

/** The version of the client app that sent an event; both components may be null. */
public record AppInfo(String version, String build) {}
