package io.sightline.store;

import java.time.Instant;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One submission as the writer needs it, built by the request thread so that the writer thread only binds and
 * streams: the rows in COPY text form for {@code analytics_events}, where each row ends (so that the writer can leave
 * out a retried copy), and the few columns of each row that claiming its key and queueing it for forwarding read.
 * Times are in microseconds since the epoch, rounded exactly as PostgreSQL rounds the text the COPY carries
 * ({@link #micros}), so the key and the outbox name the very {@code occurred_at} stored.
 */
final class EncodedRows {
    final byte[] copyData;
    /** The offset just past each row's newline in {@link #copyData}. */
    final int[] rowEnds;
    final long[] appIds;
    final UUID[] eventIds;
    final long[] occurredMicros;
    final long[] receivedMicros;
    final String[] types;
    final String[] names;
    final boolean[] adsConsent;
    final boolean[] bots;
    /** Each row's sealed client data, or null for all rows when none has any. */
    final byte[][] clientData;
    final Set<YearMonth> months;
    final Instant earliest;

    private EncodedRows(List<EventRow> rows, CopyRowEncoder encoder) {
        int n = rows.size();
        rowEnds = new int[n];
        appIds = new long[n];
        eventIds = new UUID[n];
        occurredMicros = new long[n];
        receivedMicros = new long[n];
        types = new String[n];
        names = new String[n];
        adsConsent = new boolean[n];
        bots = new boolean[n];
        byte[][] sealed = null;
        months = new HashSet<>(2);
        Instant first = Instant.MAX;
        encoder.reset();
        for (int i = 0; i < n; i++) {
            EventRow row = rows.get(i);
            var event = row.event();
            encoder.encode(row);
            rowEnds[i] = encoder.length();
            appIds[i] = row.appId();
            eventIds[i] = event.eventId();
            occurredMicros[i] = micros(event.occurredAt());
            receivedMicros[i] = micros(row.receivedAt());
            types[i] = event.type().wireName();
            names[i] = event.name();
            adsConsent[i] = Boolean.TRUE.equals(event.context().consent().ads());
            bots[i] = row.bot();
            if (row.sealedClientData() != null) {
                if (sealed == null) {
                    sealed = new byte[n][];
                }
                sealed[i] = row.sealedClientData();
            }
            months.add(PartitionManager.month(event.occurredAt()));
            if (event.occurredAt().isBefore(first)) {
                first = event.occurredAt();
            }
        }
        copyData = encoder.toByteArray();
        clientData = sealed;
        earliest = first;
    }

    /** Encodes the rows with the calling thread's encoder. */
    static EncodedRows encode(List<EventRow> rows, CopyRowEncoder encoder) {
        return new EncodedRows(rows, encoder);
    }

    int size() {
        return rowEnds.length;
    }

    int rowStart(int row) {
        return row == 0 ? 0 : rowEnds[row - 1];
    }

    /**
     * The microseconds since the epoch that PostgreSQL stores for the text {@link CopyRowEncoder} writes for this
     * instant. PostgreSQL reads the fraction of a second with strtod and rounds it with rint (half to even, see
     * ParseFractionalSecond in its datetime.c); nanos / 1e9 is the double nearest the same decimal, so this is the
     * same value, sub-microsecond instants included (the JDK's clock has nanoseconds).
     */
    static long micros(Instant at) {
        int nanos = at.getNano();
        long fraction = nanos % 1000 == 0 ? nanos / 1000 : (long) Math.rint(nanos / 1e9 * 1e6);
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), fraction);
    }
}
