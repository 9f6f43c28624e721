package io.sightline.destinations.platforms;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local stand-in for a platform: records every request and answers it with whatever the test's handler for that
 * path returns (the handler is where a test checks a request the way the platform would).
 */
final class PlatformReceiver implements AutoCloseable {
    record Received(String method, URI uri, Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    record Answer(int status, String body, Map<String, String> headers) {
        static Answer json(int status, String body) {
            return new Answer(status, body, Map.of());
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Received, Answer>> handlers = new ConcurrentHashMap<>();

    PlatformReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestHeaders(), body);
            received.add(r);
            Function<Received, Answer> handler = handlers.entrySet().stream()
                    .filter(e -> r.uri().getPath().startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst()
                    .orElse(x -> Answer.json(404, "{\"message\":\"no such path\"}"));
            Answer answer = handler.apply(r);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    void on(String pathPrefix, Function<Received, Answer> handler) {
        handlers.put(pathPrefix, handler);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Received> received() {
        return received;
    }

    List<Received> receivedAt(String pathPrefix) {
        return received.stream().filter(r -> r.uri().getPath().startsWith(pathPrefix)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
