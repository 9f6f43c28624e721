package io.sightline.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MixedRequestSourceTest {
    private static String next(MixedRequestSource source) {
        ByteBuffer out = ByteBuffer.allocate(source.maxRequestBytes());
        source.writeNext(out);
        return new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII);
    }

    @Test
    void cycles_through_the_requests_and_makes_the_unique_slot_new_each_time() {
        LoadTarget target = LoadTarget.loopback(8080);
        MixedRequestSource source = new MixedRequestSource(target, List.of(
                RequestTemplate.postJson("/a", Map.of("User-Agent", "same"), "{}"),
                RequestTemplate.postJson("/b", Map.of("User-Agent", "build " + MixedRequestSource.UNIQUE), "{}")));

        String first = next(source);
        String second = next(source);
        String third = next(source);
        String fourth = next(source);

        assertThat(first).startsWith("POST /a ").isEqualTo(third);
        assertThat(second).startsWith("POST /b ").contains("User-Agent: build 0000000001\r\n");
        assertThat(fourth).contains("User-Agent: build 0000000003\r\n");
    }
}
