package io.sightline.testing;

import io.sightline.testing.MmdbWriter.Uint16;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes values in the MaxMind DB data format: a control byte (type in the top three bits, size in the low
 * five), an extra type byte for types above 7, extra size bytes for sizes of 29 and more, then the payload.
 *
 * <p>In the data section a map, array or string that was written before is written again as a pointer to the
 * first copy, as MaxMind's own databases do: a country's map is stored once for all its cities, and readers
 * cache what they reach through pointers (top-level records are decoded afresh on every lookup). The metadata
 * section allows no pointers.
 */
final class MmdbDataEncoder {
    /** The metadata's build_epoch, the only uint64 the writer needs. */
    record Uint64(long value) {}

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<Object, Integer> written;

    private MmdbDataEncoder(boolean pointers) {
        this.written = pointers ? new HashMap<>() : null;
    }

    static MmdbDataEncoder dataSection() {
        return new MmdbDataEncoder(true);
    }

    static MmdbDataEncoder metadataSection() {
        return new MmdbDataEncoder(false);
    }

    /** Writes a record the search tree will point at and returns its offset in this section. */
    int writeRecord(Object value) {
        Integer earlier = written == null ? null : written.get(value);
        if (earlier != null) {
            return earlier; // a tree record may point at any full encoding, but not at a pointer
        }
        int offset = out.size();
        encode(value);
        return offset;
    }

    int size() {
        return out.size();
    }

    void writeTo(OutputStream target) throws IOException {
        out.writeTo(target);
    }

    private void encode(Object value) {
        boolean shareable = written != null && (value instanceof Map<?, ?> || value instanceof List<?>
                || (value instanceof String text && text.length() > 3));
        if (shareable) {
            Integer earlier = written.get(value);
            if (earlier != null) {
                pointer(earlier);
                return;
            }
            written.put(value, out.size());
        }
        if (value instanceof String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            control(2, utf8.length);
            out.writeBytes(utf8);
        } else if (value instanceof Double number) {
            control(3, 8);
            bigEndian(Double.doubleToLongBits(number), 8);
        } else if (value instanceof Uint16 number) {
            unsigned(5, number.value());
        } else if (value instanceof Integer || value instanceof Long) {
            long number = ((Number) value).longValue();
            if (number < 0 || number > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException(number + " is not a uint32");
            }
            unsigned(6, number);
        } else if (value instanceof Uint64 number) {
            unsigned(9, number.value());
        } else if (value instanceof Boolean flag) {
            control(14, flag ? 1 : 0);
        } else if (value instanceof Map<?, ?> map) {
            control(7, map.size());
            // Sorted keys: equal maps encode identically whatever their iteration order.
            for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
                encode((String) entry.getKey());
                encode(entry.getValue());
            }
        } else if (value instanceof List<?> list) {
            control(11, list.size());
            list.forEach(this::encode);
        } else {
            throw new IllegalArgumentException("no MaxMind DB type for " + value);
        }
    }

    /** Pointers count from the start of the data section; the longer forms add the ranges of the shorter ones. */
    private void pointer(int offset) {
        if (offset < 2_048) {
            out.write(1 << 5 | offset >>> 8);
            bigEndian(offset, 1);
        } else if (offset < 526_336) {
            int value = offset - 2_048;
            out.write(1 << 5 | 1 << 3 | value >>> 16);
            bigEndian(value, 2);
        } else if (offset < 134_744_064) {
            int value = offset - 526_336;
            out.write(1 << 5 | 2 << 3 | value >>> 24);
            bigEndian(value, 3);
        } else {
            out.write(1 << 5 | 3 << 3);
            bigEndian(offset, 4);
        }
    }

    private void unsigned(int type, long number) {
        int bytes = (64 - Long.numberOfLeadingZeros(number) + 7) / 8; // the shortest form; zero has no bytes
        control(type, bytes);
        bigEndian(number, bytes);
    }

    private void control(int type, int size) {
        int sizeBits = size < 29 ? size : size < 285 ? 29 : size < 65_821 ? 30 : 31;
        out.write((type < 8 ? type : 0) << 5 | sizeBits);
        if (type >= 8) {
            out.write(type - 7);
        }
        switch (sizeBits) {
            case 29 -> bigEndian(size - 29, 1);
            case 30 -> bigEndian(size - 285, 2);
            case 31 -> bigEndian(size - 65_821, 3);
            default -> { }
        }
    }

    private void bigEndian(long value, int bytes) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift) & 0xFF);
        }
    }
}
