package io.sightline.bench.ingest;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The physical limit of storing events on this machine: COPY rows like the server's straight into
 * {@code analytics_events} from one connection, 5,000 rows per committed transaction (the server's largest
 * batch), with no HTTP, no JSON, no staging table and no conflict check.
 */
final class RawCopy {
    private static final String COLUMNS = "app_id, event_id, event_type, occurred_at, received_at, session_id,"
            + " ip_hash, os, os_version, device_model, device_type, app_version, app_build, locale, consent_analytics,"
            + " consent_ads, is_bot, properties";
    private static final int ROWS_PER_COMMIT = 5_000;

    private RawCopy() {
    }

    /** Rows per second over {@code duration}. */
    static double rowsPerSecond(String jdbcUrl, String password, Duration duration) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", password)) {
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            String occurred = Instant.now().minusSeconds(60).toString();
            long rows = 0;
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            StringBuilder text = new StringBuilder(ROWS_PER_COMMIT * 400);
            while (System.nanoTime() < end) {
                text.setLength(0);
                String received = Instant.now().toString();
                for (int i = 0; i < ROWS_PER_COMMIT; i++) {
                    text.append("999\t").append(UUID.randomUUID()).append("\tinteraction\t").append(occurred).append('\t')
                            .append(received).append("\tbench-session\t\\\\x")
                            .append("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                            .append("\tiOS\t17.4\tiPhone14,2\tphone\t2.3.0\t41\tde-DE\tt\tf\tf\t")
                            .append("{\"object_id\":\"chair-3\",\"kind\":\"rotate\",\"value\":42.5}\n");
                }
                copy.copyIn("COPY analytics_events (" + COLUMNS + ") FROM STDIN", new StringReader(text.toString()));
                c.commit();
                rows += ROWS_PER_COMMIT;
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        }
    }
}
