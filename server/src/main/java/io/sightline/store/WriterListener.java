package io.sightline.store;

/** Hooks for metrics; every method defaults to nothing, so a writer without metrics pays nothing. */
public interface WriterListener {
    WriterListener NONE = new WriterListener() { };

    default void committed(int events, long nanos) { }
}
