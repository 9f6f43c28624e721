package io.sightline.bench.forward;

import io.sightline.bench.load.LoadTarget;
import io.sightline.bench.load.RequestTemplate;
import io.sightline.bench.load.UuidRequestSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DistinctTimesRequestSourceTest {
    private static final Pattern OCCURRED_AT = Pattern.compile("\"occurred_at\":\"([^\"]+)\"");

    @Test
    void gives_every_event_of_every_request_its_own_time_a_minute_before_sending() {
        LoadTarget target = LoadTarget.loopback(8080);
        String template = new ConversionEvents().batchTemplate(5, UuidRequestSource.DEFAULT_PLACEHOLDER);
        DistinctTimesRequestSource source = new DistinctTimesRequestSource(new UuidRequestSource(target,
                RequestTemplate.postJson("/api/v1/analytics/batch", Map.of("X-Write-Key", "k"), template)));
        ByteBuffer out = ByteBuffer.allocate(source.maxRequestBytes() * 2);
        Instant before = Instant.now();

        source.writeNext(out);
        int second = out.position();
        source.writeNext(out);

        String first = new String(out.array(), 0, second, StandardCharsets.UTF_8);
        String next = new String(out.array(), second, out.position() - second, StandardCharsets.UTF_8);
        List<Instant> times = times(first);
        assertThat(times).hasSize(5).doesNotHaveDuplicates();
        assertThat(Duration.between(times.get(0), before).toSeconds()).isBetween(59L, 61L);
        assertThat(times(next)).hasSize(5).doesNotHaveDuplicates();
        assertThat(first).doesNotContain(DistinctTimesRequestSource.MARKER);
        assertThat(first).contains("Content-Length: " + (first.length() - first.indexOf("\r\n\r\n") - 4));
    }

    @Test
    void refuses_a_request_without_a_marker() {
        ByteBuffer out = ByteBuffer.wrap("POST / HTTP/1.1\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
        out.position(out.limit());
        assertThatThrownBy(() -> DistinctTimesRequestSource.markers(out, 0)).hasMessageContaining("no 1970");
    }

    private static List<Instant> times(String request) {
        List<Instant> times = new ArrayList<>();
        Matcher m = OCCURRED_AT.matcher(request);
        while (m.find()) {
            times.add(Instant.parse(m.group(1)));
        }
        return times;
    }
}
