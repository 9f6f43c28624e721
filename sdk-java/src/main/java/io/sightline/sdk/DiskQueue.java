package io.sightline.sdk;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The persistent queue of encoded events: append-only segment files ({@link RecordFormat} records) in one folder,
 * and a cursor file naming the first record not yet acknowledged by the server.
 *
 * <ul>
 *   <li><b>Appends</b> go to the newest segment; a segment is closed at {@code segmentBytes} and a new one begun.
 *       A restart never appends to an old segment, so a record torn by a killed process is followed by nothing in
 *       its file: reading stops there and the segment's tail is cut off.</li>
 *   <li><b>Sending</b> reads from the cursor ({@link #peek}); once the server has answered, {@link #ack} moves the
 *       cursor past the batch and deletes segments it has passed. A process killed between the server's commit and
 *       the cursor's write sends that batch again on restart, with the same event ids, which the server stores
 *       once.</li>
 *   <li><b>Bounds</b>: when an append would take the files over {@code maxBytes}, whole segments are deleted
 *       oldest first and their unsent records counted in {@link #evicted()}.</li>
 *   <li><b>Durability</b>: a written record is in the operating system's hands at once, so a killed process loses
 *       nothing; {@link #sync} forces it to the device (the caller decides how often). The cursor is written in
 *       place with a checksum and never forced: a lost or torn cursor only means resending what was sent.</li>
 * </ul>
 * All methods are synchronized: one writer thread appends, one sender thread peeks and acknowledges.
 */
final class DiskQueue implements Closeable {
    private static final String CURSOR = "cursor";

    private final File dir;
    private final long maxBytes;
    private final int segmentBytes;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final RandomAccessFile cursorFile;
    private RandomAccessFile active;
    private long nextSeq;
    private long totalBytes;
    private long evicted;
    private long cursorSeq;
    private long cursorOffset;
    private int cursorIndex;
    private boolean closed;

    /** A run of records from the cursor on, and where the cursor goes once the server has them. */
    static final class Batch {
        final List<byte[]> payloads;
        final long endSeq;
        final long endOffset;
        final int endIndex;

        Batch(List<byte[]> payloads, long endSeq, long endOffset, int endIndex) {
            this.payloads = payloads;
            this.endSeq = endSeq;
            this.endOffset = endOffset;
            this.endIndex = endIndex;
        }
    }

    private DiskQueue(File dir, long maxBytes, int segmentBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.cursorFile = new RandomAccessFile(new File(dir, CURSOR), "rw");
    }

    /** Opens the queue in {@code dir}, recovering what a previous process left there. */
    static DiskQueue open(File dir, long maxBytes, int segmentBytes) throws IOException {
        if (segmentBytes < RecordFormat.HEADER_BYTES + RecordFormat.MAX_PAYLOAD_BYTES || maxBytes < 2L * segmentBytes) {
            throw new IllegalArgumentException("a segment must hold the largest record and the queue two segments");
        }
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException("cannot create the queue folder " + dir);
        }
        DiskQueue q = new DiskQueue(dir, maxBytes, segmentBytes);
        try {
            q.recover();
        } catch (IOException | RuntimeException e) {
            q.close();
            throw e;
        }
        return q;
    }

    private void recover() throws IOException {
        List<Long> seqs = new ArrayList<>();
        File[] files = dir.listFiles();
        for (File f : files == null ? new File[0] : files) {
            long seq = Segment.seqOf(f.getName());
            if (seq >= 0) {
                seqs.add(seq);
            }
        }
        java.util.Collections.sort(seqs);
        long[] cursor = readCursor();
        cursorSeq = cursor[0];
        cursorOffset = cursor[1];
        for (long seq : seqs) {
            File f = new File(dir, Segment.name(seq));
            if (seq < cursorSeq) {
                delete(f); // passed by the cursor, but the process stopped before deleting it
                continue;
            }
            segments.addLast(scan(seq, f));
        }
        nextSeq = seqs.isEmpty() ? 1 : seqs.get(seqs.size() - 1) + 1;
        Segment first = segments.peekFirst();
        if (first == null || first.seq != cursorSeq) {
            cursorSeq = first == null ? nextSeq : first.seq; // no cursor, or its segment is gone: start at the oldest
            cursorOffset = 0;
        }
        cursorIndex = first == null ? 0 : indexAt(first, cursorOffset);
        dropConsumed();
        writeCursor();
    }

    /** Counts a segment's intact records and cuts off a torn tail, so that its length is what can be read. */
    private Segment scan(long seq, File f) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f, "rw")) {
            long end = r.length();
            long offset = 0;
            int records = 0;
            byte[] payload;
            while ((payload = RecordFormat.read(r, offset, end)) != null) {
                offset += RecordFormat.HEADER_BYTES + payload.length;
                records++;
            }
            if (offset < end) {
                r.setLength(offset);
            }
            totalBytes += offset;
            return new Segment(seq, f, offset, records);
        }
    }

    /** The number of records before {@code offset} in a segment; moves the cursor to a record boundary. */
    private int indexAt(Segment s, long offset) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(s.file, "r")) {
            long at = 0;
            int index = 0;
            byte[] payload;
            while (at < offset && (payload = RecordFormat.read(r, at, s.length)) != null) {
                at += RecordFormat.HEADER_BYTES + payload.length;
                index++;
            }
            cursorOffset = Math.min(at, s.length);
            return index;
        }
    }

    /** Appends records in order, evicting the oldest segments when the files would outgrow the bound. */
    synchronized void append(List<byte[]> payloads) throws IOException {
        requireOpen();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int pendingRecords = 0;
        for (byte[] payload : payloads) {
            if (payload.length > RecordFormat.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("a record of " + payload.length + " bytes is over the limit");
            }
            byte[] framed = RecordFormat.frame(payload);
            Segment last = segments.peekLast();
            if (active == null || last.length + pending.size() + framed.length > segmentBytes) {
                writeActive(pending, pendingRecords);
                pending.reset();
                pendingRecords = 0;
                roll();
            }
            evictFor(pending.size() + framed.length);
            pending.write(framed);
            pendingRecords++;
        }
        writeActive(pending, pendingRecords);
    }

    private void writeActive(ByteArrayOutputStream bytes, int records) throws IOException {
        if (records == 0) {
            return;
        }
        Segment s = segments.peekLast();
        active.seek(s.length);
        active.write(bytes.toByteArray());
        s.length += bytes.size();
        s.records += records;
        totalBytes += bytes.size();
    }

    private void roll() throws IOException {
        if (active != null) {
            active.getFD().sync(); // a closed segment is complete on the device before its successor begins
            active.close();
        }
        long seq = nextSeq++;
        File f = new File(dir, Segment.name(seq));
        active = new RandomAccessFile(f, "rw");
        active.setLength(0);
        segments.addLast(new Segment(seq, f, 0, 0));
        dropConsumed();
    }

    private void evictFor(int incoming) throws IOException {
        while (totalBytes + incoming > maxBytes && segments.size() > 1) {
            Segment oldest = segments.removeFirst();
            if (oldest.seq == cursorSeq) {
                evicted += oldest.records - cursorIndex;
            } else if (oldest.seq > cursorSeq) {
                evicted += oldest.records;
            }
            totalBytes -= oldest.length;
            delete(oldest.file);
            if (cursorSeq <= oldest.seq) {
                cursorSeq = segments.peekFirst().seq;
                cursorOffset = 0;
                cursorIndex = 0;
                writeCursor();
            }
        }
    }

    /** Up to {@code maxRecords} records from the cursor on, and no more than {@code maxBytes} of payload (at least one). */
    synchronized Batch peek(int maxRecords, int maxBytes) throws IOException {
        requireOpen();
        List<byte[]> out = new ArrayList<>();
        long seq = cursorSeq;
        long offset = cursorOffset;
        int index = cursorIndex;
        int bytes = 0;
        for (Segment s : segments) {
            if (s.seq < seq) {
                continue;
            }
            if (s.seq > seq) {
                seq = s.seq;
                offset = 0;
                index = 0;
            }
            try (RandomAccessFile r = new RandomAccessFile(s.file, "r")) {
                while (out.size() < maxRecords && offset < s.length) {
                    byte[] payload = RecordFormat.read(r, offset, s.length);
                    if (payload == null || (!out.isEmpty() && bytes + payload.length > maxBytes)) {
                        return new Batch(out, seq, offset, index);
                    }
                    out.add(payload);
                    bytes += payload.length;
                    offset += RecordFormat.HEADER_BYTES + payload.length;
                    index++;
                }
            }
            if (out.size() >= maxRecords) {
                break;
            }
        }
        return new Batch(out, seq, offset, index);
    }

    /** The server has answered for {@code batch}: move the cursor past it (never back) and delete passed segments. */
    synchronized void ack(Batch batch) throws IOException {
        if (closed) {
            return; // closed while the answer was on its way: the batch is sent again on restart, stored once
        }
        if (batch.endSeq > cursorSeq || (batch.endSeq == cursorSeq && batch.endOffset > cursorOffset)) {
            cursorSeq = batch.endSeq;
            cursorOffset = batch.endOffset;
            cursorIndex = batch.endIndex;
            dropConsumed();
            writeCursor();
        }
    }

    /** Deletes leading segments that the cursor has passed, as long as a newer segment follows. */
    private void dropConsumed() {
        while (segments.size() > 1) {
            Segment first = segments.peekFirst();
            boolean passed = first.seq < cursorSeq || (first.seq == cursorSeq && cursorOffset >= first.length);
            if (!passed) {
                return;
            }
            segments.removeFirst();
            totalBytes -= first.length;
            delete(first.file);
            if (first.seq >= cursorSeq) {
                cursorSeq = segments.peekFirst().seq;
                cursorOffset = 0;
                cursorIndex = 0;
            }
        }
    }

    /** Records not yet acknowledged. */
    synchronized int size() {
        int n = 0;
        for (Segment s : segments) {
            if (s.seq == cursorSeq) {
                n += s.records - cursorIndex;
            } else if (s.seq > cursorSeq) {
                n += s.records;
            }
        }
        return n;
    }

    /** Bytes of segment files on disk. */
    synchronized long bytes() {
        return totalBytes;
    }

    /** Unsent records deleted to keep the files within their bound, since this queue was opened. */
    synchronized long evicted() {
        return evicted;
    }

    /** Forces appended records to the storage device. */
    synchronized void sync() throws IOException {
        if (active != null && !closed) {
            active.getFD().sync();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (active != null) {
                active.getFD().sync();
                active.close();
            }
        } finally {
            cursorFile.close();
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the queue is closed");
        }
    }

    private long[] readCursor() throws IOException {
        if (cursorFile.length() < 20) {
            return new long[] {0, 0};
        }
        cursorFile.seek(0);
        byte[] bytes = new byte[20];
        cursorFile.readFully(bytes);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long seq = buf.getLong();
        long offset = buf.getLong();
        if (buf.getInt() != cursorChecksum(bytes)) {
            return new long[] {0, 0}; // torn: start at the oldest segment; the server drops what it already has
        }
        return new long[] {seq, offset};
    }

    private void writeCursor() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(20);
        buf.putLong(cursorSeq).putLong(cursorOffset);
        buf.putInt(cursorChecksum(buf.array()));
        cursorFile.seek(0);
        cursorFile.write(buf.array());
    }

    private static int cursorChecksum(byte[] cursor) {
        CRC32 crc = new CRC32();
        crc.update(Arrays.copyOf(cursor, 16));
        return (int) crc.getValue();
    }

    private static void delete(File f) {
        if (!f.delete() && f.exists()) {
            f.deleteOnExit();
        }
    }
}
