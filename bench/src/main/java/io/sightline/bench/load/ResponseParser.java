package io.sightline.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads just enough of an HTTP/1.1 response to know its status and where it ends: the status line,
 * {@code Content-Length}, {@code Connection} and {@code Transfer-Encoding} (any coding fails the run). Works
 * on the bytes in place, with absolute reads, and skips the body without copying it.
 */
final class ResponseParser {
    private static final long UNTIL_CLOSE = -1;
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] IDENTITY = ascii("identity");

    private boolean headRead;
    private int status;
    private boolean closeAfter;
    private long bodyRemaining;

    /**
     * Consumes bytes between {@code in}'s position and limit. Returns true when the response is complete; then
     * {@link #status()} and {@link #closeAfter()} describe it until {@link #reset()}.
     */
    boolean parse(ByteBuffer in) {
        if (!headRead) {
            int end = headEnd(in);
            if (end < 0) {
                if (in.remaining() == in.capacity()) {
                    throw new HttpProtocolException("response head is larger than " + in.capacity() + " bytes");
                }
                return false;
            }
            readHead(in, in.position(), end);
            in.position(end);
            headRead = true;
        }
        if (bodyRemaining == UNTIL_CLOSE) {
            in.position(in.limit());
            return false;
        }
        int skipped = (int) Math.min(bodyRemaining, in.remaining());
        in.position(in.position() + skipped);
        bodyRemaining -= skipped;
        return bodyRemaining == 0;
    }

    /** True when the response has no length and ends when the server closes the connection. */
    boolean endsAtClose() {
        return headRead && bodyRemaining == UNTIL_CLOSE;
    }

    boolean started() {
        return headRead;
    }

    int status() {
        return status;
    }

    boolean closeAfter() {
        return closeAfter;
    }

    void reset() {
        headRead = false;
        status = 0;
        closeAfter = false;
        bodyRemaining = 0;
    }

    private static int headEnd(ByteBuffer in) {
        for (int i = in.position(), last = in.limit() - 4; i <= last; i++) {
            if (in.get(i + 3) == '\n' && in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r') {
                return i + 4;
            }
        }
        return -1;
    }

    private void readHead(ByteBuffer in, int from, int end) {
        int lineEnd = lineEnd(in, from, end);
        if (lineEnd - from < 12 || !startsWith(in, from, "HTTP/1.") || in.get(from + 8) != ' '
                || (lineEnd - from > 12 && in.get(from + 12) != ' ')) {
            throw new HttpProtocolException("malformed status line: " + text(in, from, lineEnd));
        }
        boolean http10 = in.get(from + 7) == '0';
        status = digits(in, from + 9, from + 12, "status code");
        if (status < 200 || status > 599) {
            throw new HttpProtocolException("unsupported status " + status + " (interim and non-HTTP statuses are not handled)");
        }
        long contentLength = UNTIL_CLOSE;
        boolean close = false;
        boolean keepAlive = false;
        for (int line = lineEnd + 2; line < end - 2; line = lineEnd + 2) {
            lineEnd = lineEnd(in, line, end);
            int colon = indexOf(in, line, lineEnd, (byte) ':');
            if (colon < 0) {
                throw new HttpProtocolException("malformed header line: " + text(in, line, lineEnd));
            }
            int valueStart = skipSpaces(in, colon + 1, lineEnd);
            int valueEnd = trimSpaces(in, valueStart, lineEnd);
            if (nameIs(in, line, colon, CONTENT_LENGTH)) {
                contentLength = digits(in, valueStart, valueEnd, "Content-Length");
            } else if (nameIs(in, line, colon, CONNECTION)) {
                close |= containsIgnoreCase(in, valueStart, valueEnd, CLOSE);
                keepAlive |= containsIgnoreCase(in, valueStart, valueEnd, KEEP_ALIVE);
            } else if (nameIs(in, line, colon, TRANSFER_ENCODING) && !nameIs(in, valueStart, valueEnd, IDENTITY)) {
                throw new HttpProtocolException("response uses Transfer-Encoding: " + text(in, valueStart, valueEnd)
                        + "; this generator reads only Content-Length bodies, so the target must not send chunked responses");
            }
        }
        if (status == 204 || status == 304) {
            contentLength = 0;
        }
        closeAfter = close || (http10 && !keepAlive) || contentLength == UNTIL_CLOSE;
        bodyRemaining = contentLength;
    }

    private static int lineEnd(ByteBuffer in, int from, int end) {
        int cr = indexOf(in, from, end, (byte) '\r');
        return cr < 0 ? end : cr;
    }

    private static int indexOf(ByteBuffer in, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (in.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpaces(ByteBuffer in, int from, int to) {
        while (from < to && (in.get(from) == ' ' || in.get(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpaces(ByteBuffer in, int from, int to) {
        while (to > from && (in.get(to - 1) == ' ' || in.get(to - 1) == '\t')) {
            to--;
        }
        return to;
    }

    private static int digits(ByteBuffer in, int from, int to, String what) {
        if (from == to || to - from > 9) {
            throw new HttpProtocolException("malformed " + what + ": " + text(in, from, to));
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = in.get(i) - '0';
            if (d < 0 || d > 9) {
                throw new HttpProtocolException("malformed " + what + ": " + text(in, from, to));
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Compares a region with a lower-case ASCII name, ignoring the region's case. */
    private static boolean nameIs(ByteBuffer in, int from, int to, byte[] lowerName) {
        if (to - from != lowerName.length) {
            return false;
        }
        for (int i = 0; i < lowerName.length; i++) {
            if (lower(in.get(from + i)) != lowerName[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(ByteBuffer in, int from, int to, byte[] lowerWord) {
        for (int i = from; i + lowerWord.length <= to; i++) {
            if (nameIs(in, i, i + lowerWord.length, lowerWord)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(ByteBuffer in, int from, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (in.get(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    private static String text(ByteBuffer in, int from, int to) {
        byte[] bytes = new byte[Math.min(to - from, 200)];
        in.get(from, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
