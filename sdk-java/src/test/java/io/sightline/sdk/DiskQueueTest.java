package io.sightline.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class DiskQueueTest {
    /** The smallest segment the queue allows: one record of the largest size plus its header. */
    private static final int SEGMENT = RecordFormat.HEADER_BYTES + RecordFormat.MAX_PAYLOAD_BYTES;

    @TempDir
    File dir;

    @Test
    void records_come_back_in_order_and_an_acknowledged_batch_is_not_read_again_after_a_restart() throws IOException {
        try (DiskQueue q = open(1 << 20)) {
            q.append(records(0, 10));
            DiskQueue.Batch first = q.peek(4, 1 << 20);
            assertThat(texts(first)).containsExactly("e0", "e1", "e2", "e3");
            assertThat(texts(q.peek(4, 1 << 20))).as("peeking does not consume").containsExactly("e0", "e1", "e2", "e3");
            q.ack(first);
            assertThat(q.size()).isEqualTo(6);
        }
        try (DiskQueue q = open(1 << 20)) {
            assertThat(q.size()).isEqualTo(6);
            assertThat(texts(q.peek(100, 1 << 20))).containsExactly("e4", "e5", "e6", "e7", "e8", "e9");
        }
    }

    @Test
    void a_batch_unacknowledged_when_the_process_stopped_is_read_again_with_the_same_records() throws IOException {
        try (DiskQueue q = open(1 << 20)) {
            q.append(records(0, 5));
            q.peek(5, 1 << 20); // sent, but no answer came before the stop
        }
        try (DiskQueue q = open(1 << 20)) {
            assertThat(texts(q.peek(100, 1 << 20))).containsExactly("e0", "e1", "e2", "e3", "e4");
        }
    }

    @Test
    void a_torn_last_record_is_skipped_on_restart_and_new_records_follow_the_intact_ones() throws IOException {
        try (DiskQueue q = open(1 << 20)) {
            q.append(records(0, 3));
        }
        File segment = onlySegment();
        try (RandomAccessFile f = new RandomAccessFile(segment, "rw")) {
            f.setLength(f.length() - 1); // the process was killed in the middle of writing e2
        }
        try (DiskQueue q = open(1 << 20)) {
            assertThat(q.size()).isEqualTo(2);
            q.append(records(3, 5));
            assertThat(texts(q.peek(100, 1 << 20))).containsExactly("e0", "e1", "e3", "e4");
        }
    }

    @Test
    void a_record_with_a_wrong_checksum_ends_its_segment_and_reading_goes_on_in_the_next() throws IOException {
        try (DiskQueue q = open(1 << 20)) {
            q.append(records(0, 3));
        }
        File segment = onlySegment();
        try (RandomAccessFile f = new RandomAccessFile(segment, "rw")) {
            long secondPayload = 2L * RecordFormat.HEADER_BYTES + 2; // e0 is 2 bytes; e1's first payload byte
            f.seek(secondPayload);
            f.write('X');
        }
        try (DiskQueue q = open(1 << 20)) {
            q.append(records(3, 4));
            assertThat(texts(q.peek(100, 1 << 20))).containsExactly("e0", "e3");
        }
    }

    @Test
    void a_header_torn_after_its_first_bytes_is_skipped() throws IOException {
        try (DiskQueue q = open(1 << 20)) {
            q.append(records(0, 2));
        }
        try (RandomAccessFile f = new RandomAccessFile(onlySegment(), "rw")) {
            f.seek(f.length());
            f.write(new byte[] {0, 0, 1}); // three bytes of a length, then the kill
        }
        try (DiskQueue q = open(1 << 20)) {
            assertThat(texts(q.peek(100, 1 << 20))).containsExactly("e0", "e1");
        }
    }

    @Test
    void over_its_bound_the_queue_drops_whole_segments_oldest_first_and_counts_the_events() throws IOException {
        long bound = 4L * SEGMENT;
        try (DiskQueue q = DiskQueue.open(dir, bound, SEGMENT)) {
            List<byte[]> big = IntStream.range(0, 300).mapToObj(i -> payload("e" + i, 1000)).collect(Collectors.toList());
            for (byte[] b : big) {
                q.append(List.of(b));
                assertThat(q.bytes()).isLessThanOrEqualTo(bound);
            }
            assertThat(q.evicted()).isPositive();
            assertThat(q.evicted() + q.size()).as("every event is either queued or counted").isEqualTo(300);
            List<String> left = texts(q.peek(1000, Integer.MAX_VALUE)).stream()
                    .map(s -> s.substring(0, s.indexOf(' '))).collect(Collectors.toList());
            assertThat(left.get(0)).isEqualTo("e" + q.evicted());
            assertThat(left.get(left.size() - 1)).isEqualTo("e299");
        }
    }

    @Test
    void eviction_counts_only_the_unsent_part_of_a_partly_sent_segment() throws IOException {
        try (DiskQueue q = DiskQueue.open(dir, 2L * SEGMENT, SEGMENT)) {
            int perSegment = SEGMENT / (RecordFormat.HEADER_BYTES + 1000);
            for (int i = 0; i < perSegment; i++) {
                q.append(List.of(payload("e" + i, 1000)));
            }
            q.ack(q.peek(10, Integer.MAX_VALUE)); // 10 of the first segment's records were sent
            for (int i = perSegment; i < 3 * perSegment; i++) {
                q.append(List.of(payload("e" + i, 1000)));
            }
            assertThat(q.evicted() + q.size()).isEqualTo(3L * perSegment - 10);
        }
    }

    @Test
    void acknowledged_segments_are_deleted() throws IOException {
        try (DiskQueue q = DiskQueue.open(dir, 8L * SEGMENT, SEGMENT)) {
            for (int i = 0; i < 200; i++) {
                q.append(List.of(payload("e" + i, 1000)));
            }
            assertThat(segments()).hasSizeGreaterThan(3);
            while (q.size() > 0) {
                q.ack(q.peek(50, Integer.MAX_VALUE));
            }
            assertThat(segments()).hasSize(1);
            assertThat(q.bytes()).isLessThanOrEqualTo(SEGMENT);
        }
    }

    @Test
    void a_torn_cursor_sends_everything_still_on_disk_again_rather_than_losing_it() throws IOException {
        try (DiskQueue q = open(1 << 20)) {
            q.append(records(0, 4));
            q.ack(q.peek(2, 1 << 20));
        }
        try (RandomAccessFile f = new RandomAccessFile(new File(dir, "cursor"), "rw")) {
            f.seek(19);
            int last = f.read();
            f.seek(19);
            f.write(last ^ 0xFF); // the checksum no longer matches: a write cut short
        }
        try (DiskQueue q = open(1 << 20)) {
            assertThat(texts(q.peek(100, 1 << 20))).containsExactly("e0", "e1", "e2", "e3");
        }
    }

    @Test
    void a_batch_stops_at_its_byte_limit_but_always_holds_one_record() throws IOException {
        try (DiskQueue q = open(1 << 20)) {
            q.append(List.of(payload("a", 3000), payload("b", 3000), payload("c", 3000)));
            assertThat(q.peek(100, 6500).payloads).hasSize(2);
            assertThat(q.peek(100, 10).payloads).hasSize(1);
        }
    }

    private DiskQueue open(long bound) throws IOException {
        return DiskQueue.open(dir, bound, SEGMENT);
    }

    private File onlySegment() {
        List<File> segs = segments();
        assertThat(segs).hasSize(1);
        return segs.get(0);
    }

    private List<File> segments() {
        File[] files = dir.listFiles((d, name) -> name.endsWith(".seg"));
        return files == null ? List.of() : Arrays.stream(files).sorted().collect(Collectors.toList());
    }

    private static List<byte[]> records(int from, int to) {
        List<byte[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(("e" + i).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static byte[] payload(String label, int size) {
        StringBuilder sb = new StringBuilder(label).append(' ');
        while (sb.length() < size) {
            sb.append('x');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(DiskQueue.Batch batch) {
        return batch.payloads.stream().map(b -> new String(b, StandardCharsets.UTF_8)).collect(Collectors.toList());
    }
}
