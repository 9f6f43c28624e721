package io.sightline.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseParserTest {
    private final ResponseParser parser = new ResponseParser();

    @Test
    void reads_a_response_that_arrives_one_byte_at_a_time() {
        byte[] response = bytes("HTTP/1.1 201 Created\r\ncontent-LENGTH:  5 \r\nX-Other: a:b\r\n\r\nhello");
        ByteBuffer buffer = ByteBuffer.allocate(64);
        for (int i = 0; i < response.length; i++) {
            buffer.put(response[i]).flip();
            boolean complete = parser.parse(buffer);
            buffer.compact();
            assertThat(complete).as("complete after byte %d", i).isEqualTo(i == response.length - 1);
        }
        assertThat(parser.status()).isEqualTo(201);
        assertThat(parser.closeAfter()).isFalse();
    }

    @Test
    void skips_a_body_larger_than_its_buffer() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        buffer.put(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")).flip();
        int bodyLeft = 1000;
        boolean complete = parser.parse(buffer);
        while (!complete) {
            buffer.clear();
            int chunk = Math.min(bodyLeft, buffer.capacity());
            buffer.put(new byte[chunk]).flip();
            bodyLeft -= chunk;
            complete = parser.parse(buffer);
        }
        assertThat(bodyLeft).isZero();
        assertThat(parser.status()).isEqualTo(200);
    }

    @Test
    void fails_loudly_on_a_chunked_response() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"))
                .isInstanceOf(HttpProtocolException.class)
                .hasMessageContaining("chunked");
    }

    @Test
    void fails_loudly_on_a_head_larger_than_the_buffer_and_on_garbage() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nX-Long: " + "x".repeat(300)))
                .hasMessageContaining("larger than");
        assertThatThrownBy(() -> parse("SMTP ready\r\n\r\n")).hasMessageContaining("status line");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n")).hasMessageContaining("Content-Length");
    }

    @Test
    void asks_to_close_when_the_server_says_so_or_speaks_http_1_0() {
        parse("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        assertThat(parser.closeAfter()).isTrue();
        parser.reset();
        parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(parser.closeAfter()).isTrue();
        parser.reset();
        parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n");
        assertThat(parser.closeAfter()).isFalse();
    }

    @Test
    void a_response_without_length_ends_when_the_connection_closes_and_204_has_no_body() {
        assertThat(parse("HTTP/1.1 200 OK\r\n\r\nsome body")).isFalse();
        assertThat(parser.endsAtClose()).isTrue();
        assertThat(parser.closeAfter()).isTrue();
        parser.reset();
        assertThat(parse("HTTP/1.1 204 No Content\r\n\r\n")).isTrue();
    }

    private boolean parse(String response) {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        byte[] bytes = bytes(response);
        buffer.put(bytes, 0, Math.min(bytes.length, buffer.capacity())).flip();
        return parser.parse(buffer);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
