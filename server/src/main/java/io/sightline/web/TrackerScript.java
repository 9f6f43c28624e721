package io.sightline.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The web tracker, {@code tracker-js/sightline.js} in the repository, which the build copies to the classpath as
 * {@value #RESOURCE}; read once at start, with its gzipped bytes and an ETag of its content.
 */
record TrackerScript(StaticFile file, String etag) {
    static final String RESOURCE = "tracker/sightline.js";

    /** Fails start-up when the build left the tracker out. */
    static TrackerScript load() {
        try (InputStream in = TrackerScript.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " is missing from the build"
                        + " (server/pom.xml copies it from tracker-js/)");
            }
            byte[] bytes = in.readAllBytes();
            return new TrackerScript(StaticFile.of("text/javascript; charset=utf-8", bytes), "\"" + hash(bytes) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
