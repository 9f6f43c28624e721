package io.sightline.event;

/** The device an event was recorded on, as the client reports it; every component may be null. */
public record Device(String os, String osVersion, String model, String type) {}
