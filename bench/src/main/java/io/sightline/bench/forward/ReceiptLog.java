package io.sightline.bench.forward;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every event id a receiver got, with the {@link System#nanoTime()} it arrived at, duplicates included (a re-send
 * is allowed and shows here as a second entry). Kept as three longs per receipt in fixed-size chunks, so a
 * million receipts cost 24 MB and no object each: the receivers run in the benchmark's JVM beside the load
 * generator, on the same two cores as the server.
 */
final class ReceiptLog {
    private static final int CHUNK_RECEIPTS = 1 << 16;

    private final List<long[]> chunks = new ArrayList<>();
    private int size;

    /** Records the ids of one request, all received at {@code nanos}. */
    synchronized void record(List<UUID> ids, long nanos) {
        for (UUID id : ids) {
            int inChunk = size % CHUNK_RECEIPTS;
            if (inChunk == 0) {
                chunks.add(new long[CHUNK_RECEIPTS * 3]);
            }
            long[] chunk = chunks.get(chunks.size() - 1);
            chunk[inChunk * 3] = id.getMostSignificantBits();
            chunk[inChunk * 3 + 1] = id.getLeastSignificantBits();
            chunk[inChunk * 3 + 2] = nanos;
            size++;
        }
    }

    /** Receipts so far, duplicates included. */
    synchronized int size() {
        return size;
    }

    synchronized void clear() {
        chunks.clear();
        size = 0;
    }

    /** The latest receive time, or {@code Long.MIN_VALUE} when nothing arrived. */
    synchronized long last() {
        long last = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            last = Math.max(last, chunks.get(i / CHUNK_RECEIPTS)[(i % CHUNK_RECEIPTS) * 3 + 2]);
        }
        return last;
    }

    /** The earliest receive time, or {@code Long.MAX_VALUE} when nothing arrived. */
    synchronized long first() {
        long first = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            first = Math.min(first, chunks.get(i / CHUNK_RECEIPTS)[(i % CHUNK_RECEIPTS) * 3 + 2]);
        }
        return first;
    }

    /** Each distinct id with the time it first arrived: what a lag is measured to. */
    synchronized Map<UUID, Long> firstReceipts() {
        Map<UUID, Long> first = new HashMap<>(Math.max(16, size * 4 / 3));
        for (int i = 0; i < size; i++) {
            long[] chunk = chunks.get(i / CHUNK_RECEIPTS);
            int at = (i % CHUNK_RECEIPTS) * 3;
            first.merge(new UUID(chunk[at], chunk[at + 1]), chunk[at + 2], Math::min);
        }
        return first;
    }
}
