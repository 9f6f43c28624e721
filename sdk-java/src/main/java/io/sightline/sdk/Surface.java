package io.sightline.sdk;

/** The kind of plane an object was placed on ({@code properties.surface} of a {@code placement} event). */
public enum Surface {
    HORIZONTAL("horizontal"), VERTICAL("vertical");

    final String wire;

    Surface(String wire) {
        this.wire = wire;
    }
}
