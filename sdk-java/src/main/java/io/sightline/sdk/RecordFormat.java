package io.sightline.sdk;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * One record of a queue segment: a 4-byte length, a 4-byte CRC-32 over that length and the payload, then the
 * payload (one event's JSON in UTF-8). A record whose header or payload was cut short by a killed process, or
 * whose checksum does not match, ends the readable part of its segment: it and anything after it are skipped.
 */
final class RecordFormat {
    static final int HEADER_BYTES = 8;
    /** Larger payloads are refused before they are written; the server takes at most 32 KiB per event. */
    static final int MAX_PAYLOAD_BYTES = 32 * 1024;

    private RecordFormat() {
    }

    static byte[] frame(byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        buf.putInt(payload.length);
        buf.putInt(checksum(payload.length, payload));
        buf.put(payload);
        return buf.array();
    }

    static int checksum(int length, byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(4).putInt(length).array());
        crc.update(payload);
        return (int) crc.getValue();
    }

    /**
     * The payload of the record at {@code offset}, or null when no whole, intact record starts there (the end of
     * the file, a torn record, garbage).
     */
    static byte[] read(RandomAccessFile file, long offset, long end) throws IOException {
        if (offset + HEADER_BYTES > end) {
            return null;
        }
        file.seek(offset);
        int length = file.readInt();
        int expected = file.readInt();
        if (length < 0 || length > MAX_PAYLOAD_BYTES || offset + HEADER_BYTES + length > end) {
            return null;
        }
        byte[] payload = new byte[length];
        file.readFully(payload);
        return checksum(length, payload) == expected ? payload : null;
    }
}
