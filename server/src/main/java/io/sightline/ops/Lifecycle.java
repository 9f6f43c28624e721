package io.sightline.ops;

/** Whether the server takes new work; set to draining first thing on shutdown. */
public final class Lifecycle {
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
