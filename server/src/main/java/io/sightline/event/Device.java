package io.sightline.event;

/**
 * The device an event was recorded on; every component may be null. The client reports os, version, model
 * and type; browser and its version are only ever derived by the server from the User-Agent.
 */
public record Device(String os, String osVersion, String model, String type, String browser,
                     String browserVersion) {}
