package io.sightline.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A raw-socket HTTP/1.1 server for tests that need responses Javalin would not send: the n-th request (from
 * 0, over all connections) gets {@code script.apply(n)} verbatim, and the connection is closed after it when
 * the response says {@code Connection: close}.
 */
final class ScriptedServer implements AutoCloseable {
    private final ServerSocket listener;
    private final IntFunction<String> script;
    private final AtomicInteger requests = new AtomicInteger();

    private ScriptedServer(ServerSocket listener, IntFunction<String> script) {
        this.listener = listener;
        this.script = script;
    }

    static ScriptedServer start(IntFunction<String> script) throws IOException {
        ScriptedServer server = new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
        Thread acceptor = new Thread(server::accept, "scripted-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread worker = new Thread(() -> serve(socket), "scripted-conn");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                in.readNBytes(contentLength(head));
                String response = script.apply(requests.getAndIncrement());
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (response.toLowerCase(Locale.ROOT).contains("connection: close")) {
                    return;
                }
            }
        } catch (IOException gone) {
            // the generator closed the connection at the end of its run
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }
}
