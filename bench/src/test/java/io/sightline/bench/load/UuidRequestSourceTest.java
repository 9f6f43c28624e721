package io.sightline.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UuidRequestSourceTest {
    private static final LoadTarget TARGET = LoadTarget.loopback(8080);
    private static final String ID_KEY = "\"event_id\":\"";

    @Test
    void never_repeats_an_event_id_over_100k_requests() {
        UuidRequestSource source = new UuidRequestSource(TARGET, RequestTemplate.postJson("/track", Map.of(), LoadMain.EVENT));
        ByteBuffer buffer = ByteBuffer.allocate(source.maxRequestBytes());
        source.writeNext(buffer);
        int idAt = text(buffer).indexOf(ID_KEY) + ID_KEY.length();
        Set<UUID> seen = new HashSet<>();

        for (int i = 0; i < 100_000; i++) {
            buffer.clear();
            source.writeNext(buffer);
            UUID id = UUID.fromString(new String(buffer.array(), idAt, 36, StandardCharsets.US_ASCII));
            assertThat(seen.add(id)).as("request %d repeats %s", i, id).isTrue();
        }
        UUID any = seen.iterator().next();
        assertThat(any.version()).isEqualTo(4);
        assertThat(any.variant()).isEqualTo(2);
    }

    @Test
    void replaces_every_placeholder_and_counts_the_patched_body_in_content_length() {
        String batch = "{\"events\":[{\"event_id\":\"${uuid}\"},{\"event_id\":\"${uuid}\"},{\"event_id\":\"${uuid}\",\"name\":\"é\"}]}";
        UuidRequestSource source = new UuidRequestSource(TARGET,
                RequestTemplate.postJson("/api/v1/analytics/batch", Map.of("X-Write-Key", "wk_test"), batch));
        ByteBuffer buffer = ByteBuffer.allocate(source.maxRequestBytes());
        source.writeNext(buffer);
        String request = text(buffer);

        String body = request.substring(request.indexOf("\r\n\r\n") + 4);
        assertThat(request).startsWith("POST /api/v1/analytics/batch HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n")
                .contains("\r\nX-Write-Key: wk_test\r\n", "\r\nContent-Type: application/json\r\n")
                .contains("\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                .doesNotContain("${uuid}");
        Matcher ids = Pattern.compile("\"event_id\":\"([0-9a-f-]{36})\"").matcher(body);
        Set<String> distinct = new HashSet<>();
        while (ids.find()) {
            distinct.add(ids.group(1));
        }
        assertThat(distinct).hasSize(3);
        assertThat(buffer.position()).isEqualTo(source.maxRequestBytes());
    }

    @Test
    void refuses_a_body_without_the_placeholder() {
        assertThatThrownBy(() -> new UuidRequestSource(TARGET, RequestTemplate.postJson("/track", Map.of(), "{\"type\":\"qr_scan\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("${uuid}");
    }

    private static String text(ByteBuffer buffer) {
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
