package io.sightline.bench.stats;

import io.sightline.store.CopyRowEncoder;

/**
 * Generated events gathered into one COPY's worth of rows, encoded by the server's own {@link CopyRowEncoder}, so
 * the loaded rows are byte for byte what the writer would send.
 */
final class CopyChunk {
    /** The column list for {@code COPY analytics_events (…) FROM STDIN}. */
    static final String COLUMNS = CopyRowEncoder.COLUMNS;

    private final CopyRowEncoder encoder = new CopyRowEncoder();
    private int rows;

    void add(SyntheticEvent e) {
        encoder.encode(e.row());
        rows++;
    }

    int rows() {
        return rows;
    }

    /** The rows added so far, and a fresh start. */
    byte[] take() {
        byte[] out = encoder.toByteArray();
        encoder.reset();
        rows = 0;
        return out;
    }
}
