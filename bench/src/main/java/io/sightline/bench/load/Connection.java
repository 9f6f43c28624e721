package io.sightline.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection with at most one request in flight, driven by its {@link IoLoop}. Its buffers
 * are allocated once; a request is a copy of the source's bytes, a response is parsed in place.
 *
 * <p>Interest in reads stays on for the connection's whole life and writes are only asked for after a short
 * write, because every change of interest ops costs an {@code epoll_ctl} call at the next select.
 */
final class Connection {
    private static final int RESPONSE_BUFFER_BYTES = 16 * 1024;
    /** Pause before reopening after an error, so a target that refuses connections is not hammered in a tight loop. */
    private static final long REOPEN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private enum State { CLOSED, CONNECTING, IDLE, SENDING, AWAITING_RESPONSE }

    private final Selector selector;
    private final InetSocketAddress address;
    private final RequestSource source;
    private final Schedule schedule;
    private final LoopStats stats;
    private final ByteBuffer request;
    private final ByteBuffer response = ByteBuffer.allocateDirect(RESPONSE_BUFFER_BYTES);
    private final ResponseParser parser = new ResponseParser();
    private SocketChannel channel;
    private SelectionKey key;
    private State state = State.CLOSED;
    private long dueAt;
    private long sentAt;
    private long reopenAt;

    Connection(Selector selector, InetSocketAddress address, RequestSource source, Schedule schedule, LoopStats stats) {
        this.selector = selector;
        this.address = address;
        this.source = source;
        this.schedule = schedule;
        this.stats = stats;
        this.request = ByteBuffer.allocateDirect(source.maxRequestBytes());
    }

    /** When this connection next needs the loop without a socket event, or {@code Long.MAX_VALUE}. */
    long deadline(long now) {
        return switch (state) {
            case CLOSED -> reopenAt;
            case IDLE -> schedule.due(now);
            default -> Long.MAX_VALUE;
        };
    }

    /** Called once {@link #deadline} has passed. */
    void onDeadline(long now) {
        if (state == State.CLOSED) {
            open(now);
        } else if (state == State.IDLE) {
            send(now);
        }
    }

    void onReady(SelectionKey ready, long now) {
        try {
            int ops = ready.readyOps();
            if ((ops & SelectionKey.OP_CONNECT) != 0) {
                finishConnect(now);
                return;
            }
            if ((ops & SelectionKey.OP_WRITE) != 0) {
                flush();
            }
            if ((ops & SelectionKey.OP_READ) != 0 && state != State.CLOSED) {
                read(now);
            }
        } catch (IOException e) {
            fail(now);
        }
    }

    void open(long now) {
        parser.reset();
        response.clear();
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            stats.connectionOpened(now);
            if (channel.connect(address)) {
                key = channel.register(selector, SelectionKey.OP_READ, this);
                becomeIdle(now);
            } else {
                key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                state = State.CONNECTING;
            }
        } catch (IOException e) {
            fail(now);
        }
    }

    long overdueAt(long end) {
        return schedule.overdueAt(end);
    }

    void close() {
        closeChannel();
        state = State.CLOSED;
    }

    private void finishConnect(long now) throws IOException {
        if (channel.finishConnect()) {
            key.interestOps(SelectionKey.OP_READ);
            becomeIdle(now);
        }
    }

    private void becomeIdle(long now) {
        state = State.IDLE;
        if (schedule.due(now) <= now) {
            send(now);
        }
    }

    private void send(long now) {
        dueAt = schedule.due(now);
        sentAt = now;
        schedule.advance();
        request.clear();
        source.writeNext(request);
        request.flip();
        state = State.SENDING;
        try {
            flush();
        } catch (IOException e) {
            fail(now);
        }
    }

    private void flush() throws IOException {
        channel.write(request);
        if (request.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else {
            key.interestOps(SelectionKey.OP_READ);
            if (state == State.SENDING) {
                state = State.AWAITING_RESPONSE;
            }
        }
    }

    private void read(long now) throws IOException {
        if (channel.read(response) < 0) {
            endOfStream(now);
            return;
        }
        if (state != State.SENDING && state != State.AWAITING_RESPONSE) {
            fail(now); // bytes nobody asked for: the exchange is out of step, start afresh
            return;
        }
        response.flip();
        boolean complete = parser.parse(response);
        response.compact();
        if (complete) {
            complete(now);
        }
    }

    private void complete(long now) {
        // A response that overtook its own request (an early error) leaves the request half-sent: unusable.
        boolean reopen = parser.closeAfter() || state == State.SENDING;
        stats.response(now, parser.status(), now - dueAt, now - sentAt);
        parser.reset();
        if (reopen) {
            closeChannel();
            open(now);
        } else {
            becomeIdle(now);
        }
    }

    private void endOfStream(long now) {
        if (parser.endsAtClose()) {
            complete(now);
        } else if (state == State.SENDING || state == State.AWAITING_RESPONSE) {
            fail(now);
        } else {
            closeChannel(); // an idle keep-alive connection the server timed out: not an error
            open(now);
        }
    }

    private void fail(long now) {
        stats.connectionError(now);
        closeChannel();
        state = State.CLOSED;
        reopenAt = now + REOPEN_DELAY_NANOS;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is best effort; the descriptor is gone either way
            }
        }
    }
}
