package io.sightline.sdk;

import java.io.File;
import java.io.IOException;
import java.util.UUID;

/**
 * The session of each event: a new random id after {@code timeoutMillis} without events (30 minutes by default,
 * as the server's own rule for clients that send none). Used by the writer thread only. The id and the time of
 * the last event are kept in a file, rewritten when the session changes and otherwise at most every
 * {@code SAVE_EVERY_MILLIS}, so an app that is killed and restarted within the timeout continues its session.
 */
final class Sessions {
    private static final long SAVE_EVERY_MILLIS = 5_000;

    private final File file;
    private final long timeoutMillis;
    private String id;
    private long lastEventMillis;
    private long savedLastEventMillis;

    Sessions(File file, long timeoutMillis) {
        this.file = file;
        this.timeoutMillis = timeoutMillis;
        String[] lines = StateFiles.read(file);
        if (lines != null && lines.length == 2) {
            try {
                lastEventMillis = Long.parseLong(lines[1]);
                id = lines[0].isEmpty() ? null : lines[0];
                savedLastEventMillis = lastEventMillis;
            } catch (NumberFormatException e) {
                id = null;
            }
        }
    }

    /** The session an event at {@code atMillis} belongs to, starting a new one after the timeout. */
    String sessionFor(long atMillis) {
        if (id == null || atMillis - lastEventMillis >= timeoutMillis) {
            id = UUID.randomUUID().toString();
            savedLastEventMillis = Long.MIN_VALUE; // a new id is saved with the next save()
        }
        // Events from several threads may arrive a little out of order; the session runs until the latest one.
        lastEventMillis = Math.max(lastEventMillis, atMillis);
        return id;
    }

    /** Writes the state when it changed enough to matter; {@code force} on close. */
    void save(boolean force) throws IOException {
        if (id == null) {
            return;
        }
        if (force ? lastEventMillis != savedLastEventMillis : lastEventMillis - savedLastEventMillis >= SAVE_EVERY_MILLIS
                || savedLastEventMillis == Long.MIN_VALUE) {
            StateFiles.write(file, id, Long.toString(lastEventMillis));
            savedLastEventMillis = lastEventMillis;
        }
    }
}
