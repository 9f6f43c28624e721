package io.sightline.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cycles through a fixed list of different requests (for example other User-Agents and client addresses),
 * encoded once. A request whose head or body holds {@link #UNIQUE} gets those ten characters rewritten with
 * a fresh counter value each time it is sent, so it is never the same twice.
 */
public final class MixedRequestSource implements RequestSource {
    /** Ten characters replaced by a per-request decimal counter. */
    public static final String UNIQUE = "@@UNIQUE@@";

    private final byte[][] requests;
    private final int[][] slots;
    private final AtomicLong sent = new AtomicLong();
    private final int max;

    public MixedRequestSource(LoadTarget target, List<RequestTemplate> templates) {
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("at least one request template is needed");
        }
        requests = new byte[templates.size()][];
        slots = new int[templates.size()][];
        byte[] marker = UNIQUE.getBytes(StandardCharsets.US_ASCII);
        int largest = 0;
        for (int i = 0; i < templates.size(); i++) {
            RequestTemplate t = templates.get(i);
            byte[] body = t.bodyBytes();
            byte[] head = t.head(target, body.length);
            byte[] all = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            List<Integer> found = new ArrayList<>();
            for (int p = 0; p + marker.length <= all.length; p++) {
                if (Arrays.equals(all, p, p + marker.length, marker, 0, marker.length)) {
                    found.add(p);
                }
            }
            requests[i] = all;
            slots[i] = found.stream().mapToInt(Integer::intValue).toArray();
            largest = Math.max(largest, all.length);
        }
        max = largest;
    }

    @Override
    public int maxRequestBytes() {
        return max;
    }

    @Override
    public void writeNext(ByteBuffer out) {
        long n = sent.getAndIncrement();
        int i = (int) (n % requests.length);
        int start = out.position();
        out.put(requests[i]);
        for (int slot : slots[i]) {
            long value = n;
            for (int d = UNIQUE.length() - 1; d >= 0; d--) {
                out.put(start + slot + d, (byte) ('0' + value % 10));
                value /= 10;
            }
        }
    }
}
