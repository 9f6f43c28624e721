package io.sightline.bench.forward;

import io.sightline.bench.load.RequestSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Wraps a request source whose body holds {@link #MARKER} in place of each event's {@code occurred_at}, and writes
 * over every marker a time of its own: the send time minus a minute, minus one millisecond per event of the
 * request. Events sharing one {@code occurred_at} are not what clients send, and they cost the server's outbox
 * claim one index visit per event at that instant (it finds an event by {@code (app_id, occurred_at)} and then its
 * id), a cost that grows with the table: with one time for all, the drain after a run fell from 3,800 to 2,000
 * conversions/s as the table grew; with these times it stayed at 10,400-10,900 (2 busy cores, 5-second runs).
 *
 * <p>The markers sit at the same offsets in every request (the ids the wrapped source writes have a fixed
 * length), so they are found once, in the first request written.
 */
final class DistinctTimesRequestSource implements RequestSource {
    /** A placeholder of the length of every time written: {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, 24 characters. */
    static final String MARKER = "1970-01-01T00:00:00.000Z";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);

    private final RequestSource requests;
    private volatile int[] offsets;

    DistinctTimesRequestSource(RequestSource requests) {
        this.requests = requests;
    }

    @Override
    public int maxRequestBytes() {
        return requests.maxRequestBytes();
    }

    @Override
    public void writeNext(ByteBuffer out) {
        int start = out.position();
        requests.writeNext(out);
        int[] at = offsets;
        if (at == null) {
            at = markers(out, start);
            offsets = at;
        }
        long base = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < at.length; i++) {
            byte[] time = TIME.format(Instant.ofEpochMilli(base - i)).getBytes(StandardCharsets.US_ASCII);
            out.put(start + at[i], time);
        }
    }

    /** Offsets of the markers from {@code start}; the request must hold at least one. */
    static int[] markers(ByteBuffer out, int start) {
        List<Integer> found = new ArrayList<>();
        byte[] window = new byte[MARKER_BYTES.length];
        for (int i = start; i + MARKER_BYTES.length <= out.position(); i++) {
            if (out.get(i) == MARKER_BYTES[0]) {
                out.get(i, window);
                if (Arrays.equals(window, MARKER_BYTES)) {
                    found.add(i - start);
                    i += MARKER_BYTES.length - 1;
                }
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("the request holds no " + MARKER);
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }
}
