package io.sightline.ingest;

/** Hooks for metrics; every method defaults to nothing. */
public interface IngestListener {
    IngestListener NONE = new IngestListener() { };

    /** Events durably stored (acknowledged to the client). */
    default void accepted(int events) { }

    /** Events refused, by reason: a validation code such as {@code missing_field}, or a writer reason. */
    default void rejected(String reason, int events) { }

    /** Valid events deliberately not stored, by reason ({@code no_consent}, {@code bot}). */
    default void dropped(String reason, int events) { }

    /** The timer of one pipeline step ("validate", "consent", ...); asked once per step, when the pipeline is built. */
    default StepTimer stepTimer(String step) {
        return StepTimer.NONE;
    }
}
