package io.sightline.privacy;

import io.sightline.auth.AppStore;
import io.sightline.error.NotFound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * GDPR access (article 15) and erasure (article 17) for one subject of one app. Every request is written to the
 * audit before it starts and marked complete, with its row count, when it has finished.
 *
 * <p>Erasure repeats its pass over each table until a scan finds none of the subject's rows, so events that
 * arrive while it runs are deleted too. Each pass is a full scan, so after {@value #MAX_SCANS} scans of a table
 * it stops and reports itself incomplete: everything stored before the request began is gone by then, and only
 * a sender that keeps going can outrun it.
 *
 * <p>At most {@value #MAX_RUNNING} requests run at once: each holds a pooled connection throughout, and the pool
 * is shared with ingestion.
 */
public final class PrivacyService {
    private static final Logger log = LoggerFactory.getLogger(PrivacyService.class);

    static final int BATCH_SIZE = 1_000;
    /** Full scans of one table per erasure; usually two run: one finds the rows, the next confirms none came since. */
    static final int MAX_SCANS = 5;
    static final int MAX_RUNNING = 2;
    static final int LISTED_REQUESTS = 100;
    private static final int EXPORT_BLOCK_CHARS = 32 * 1024;

    /** The answer to an erasure: {@code complete} is false when new events kept arriving through every scan. */
    public record Erasure(long deleted, long requestId, boolean complete) {}

    private final PrivacyStore store;
    private final AppStore apps;
    private final Clock clock;
    private final Semaphore running = new Semaphore(MAX_RUNNING);

    public PrivacyService(PrivacyStore store, AppStore apps, Clock clock) {
        this.store = store;
        this.apps = apps;
        this.clock = clock;
    }

    /** Writes every stored event of the subject to {@code out} as NDJSON, oldest first, and returns how many. */
    public long export(long appId, Subject subject, String actorKind, long actor, OutputStream out) throws SQLException, IOException {
        requireApp(appId);
        enter();
        try {
            long id = store.insertRequest(appId, PrivacyRequest.Action.EXPORT, subject, actorKind, actor, clock.instant());
            // Lines leave in whole blocks, never cut: a failure can only stop the stream between two lines, and the
            // error object the exception mapper then appends becomes its last line. Until the first block leaves,
            // a failure still gets its own status.
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            StringBuilder block = new StringBuilder(EXPORT_BLOCK_CHARS + 4096);
            long rows = store.exportEvents(appId, subject, line -> {
                block.append(line).append('\n');
                if (block.length() >= EXPORT_BLOCK_CHARS) {
                    writer.append(block).flush();
                    block.setLength(0);
                }
            });
            writer.append(block).flush();
            store.finishRequest(id, rows, clock.instant());
            log.info("Privacy request {}: exported {} events of one {} in app {}", id, rows, subject.kind().column(), appId);
            return rows;
        } finally {
            running.release();
        }
    }

    /** Deletes every row of the subject in the app from each of {@link PrivacyStore#SUBJECT_TABLES}. */
    public Erasure delete(long appId, Subject subject, String actorKind, long actor) throws SQLException {
        requireApp(appId);
        enter();
        try {
            long started = System.nanoTime();
            long id = store.insertRequest(appId, PrivacyRequest.Action.DELETE, subject, actorKind, actor, clock.instant());
            long deleted = 0;
            boolean complete = true;
            for (PrivacyStore.SubjectTable table : PrivacyStore.SUBJECT_TABLES) {
                PrivacyStore.Pass pass;
                int scans = 0;
                do {
                    pass = store.erasePass(table, appId, subject, BATCH_SIZE);
                    deleted += pass.deleted();
                    scans++;
                } while (pass.found() > 0 && scans < MAX_SCANS);
                complete &= pass.found() == 0;
            }
            store.finishRequest(id, deleted, complete ? clock.instant() : null);
            log.info("Privacy request {}: deleted {} rows of one {} in app {} in {} ms{}", id, deleted,
                    subject.kind().column(), appId, (System.nanoTime() - started) / 1_000_000,
                    complete ? "" : "; incomplete, new events kept arriving");
            return new Erasure(deleted, id, complete);
        } finally {
            running.release();
        }
    }

    /** The app's latest requests, newest first. */
    public List<PrivacyRequest> requests(long appId) throws SQLException {
        requireApp(appId);
        return store.recentRequests(appId, LISTED_REQUESTS);
    }

    private void requireApp(long appId) throws SQLException {
        if (apps.byId(appId).isEmpty()) {
            throw NotFound.app();
        }
    }

    private void enter() {
        if (!running.tryAcquire()) {
            throw PrivacyError.busy(
                    MAX_RUNNING + " privacy requests are already running; retry after the Retry-After delay", 5);
        }
    }
}
