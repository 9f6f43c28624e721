package io.sightline.sdk;

/** How the user handled a placed object ({@code properties.kind} of an {@code interaction} event). */
public enum InteractionKind {
    TAP("tap"), ROTATE("rotate"), SCALE("scale");

    final String wire;

    InteractionKind(String wire) {
        this.wire = wire;
    }
}
