package io.sightline.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The same request every time, except that every occurrence of a placeholder in the body is replaced by a
 * fresh UUID, so each event carries its own {@code event_id} (a batch body may hold many). The request is
 * encoded once with 36-byte slots where the placeholders were; per request the bytes are copied and only the
 * slots' hex digits rewritten: no strings, no {@code UUID} objects.
 */
public final class UuidRequestSource implements RequestSource {
    public static final String DEFAULT_PLACEHOLDER = "${uuid}";

    private final byte[] encoded;
    private final int[] slots;
    private final UniqueUuids uuids;

    public UuidRequestSource(LoadTarget target, RequestTemplate template) {
        this(target, template, DEFAULT_PLACEHOLDER);
    }

    public UuidRequestSource(LoadTarget target, RequestTemplate template, String placeholder) {
        this(target, template, placeholder, new UniqueUuids());
    }

    UuidRequestSource(LoadTarget target, RequestTemplate template, String placeholder, UniqueUuids uuids) {
        if (placeholder.isEmpty()) {
            throw new IllegalArgumentException("placeholder must not be empty");
        }
        byte[] body = template.bodyBytes();
        byte[] marker = placeholder.getBytes(StandardCharsets.UTF_8);
        byte[] blank = UniqueUuids.BLANK.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer patched = ByteBuffer.allocate(body.length + blank.length * (body.length / marker.length + 1));
        List<Integer> bodySlots = new ArrayList<>();
        for (int i = 0; i < body.length; ) {
            if (i + marker.length <= body.length && Arrays.equals(body, i, i + marker.length, marker, 0, marker.length)) {
                bodySlots.add(patched.position());
                patched.put(blank);
                i += marker.length;
            } else {
                patched.put(body[i++]);
            }
        }
        if (bodySlots.isEmpty()) {
            throw new IllegalArgumentException("body template does not contain the placeholder '" + placeholder + "'");
        }
        byte[] head = template.head(target, patched.position());
        this.encoded = new byte[head.length + patched.position()];
        System.arraycopy(head, 0, encoded, 0, head.length);
        System.arraycopy(patched.array(), 0, encoded, head.length, patched.position());
        this.slots = bodySlots.stream().mapToInt(slot -> head.length + slot).toArray();
        this.uuids = uuids;
    }

    @Override
    public int maxRequestBytes() {
        return encoded.length;
    }

    @Override
    public void writeNext(ByteBuffer out) {
        int start = out.position();
        out.put(encoded);
        for (int slot : slots) {
            uuids.writeNext(out, start + slot);
        }
    }
}
