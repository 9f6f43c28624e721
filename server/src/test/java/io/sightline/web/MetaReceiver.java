package io.sightline.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A local stand-in for Meta's Conversions API, for the destinations page: it refuses (400, in Meta's error shape)
 * every request that carries one of the event ids it is told to refuse, accepts the others, and remembers which
 * event ids it has answered.
 */
final class MetaReceiver implements AutoCloseable {
    static final String REFUSAL = "The test platform refuses this event";

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService threads = Executors.newCachedThreadPool();
    private final Set<String> refuse = ConcurrentHashMap.newKeySet();
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    MetaReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void refuse(String eventId) {
        refuse.add(eventId);
    }

    /** From now on every event is accepted (the admin fixed what the platform disliked). */
    void acceptAll() {
        refuse.clear();
    }

    boolean answered(String eventId) {
        return answered.contains(eventId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean refused = refuse.stream().anyMatch(body::contains);
            String answer = refused
                    ? "{\"error\": {\"message\": \"Invalid parameter\", \"type\": \"OAuthException\", \"code\": 100,"
                    + " \"error_subcode\": 2804050, \"is_transient\": false, \"error_user_msg\": \"" + REFUSAL + "\","
                    + " \"fbtrace_id\": \"AbTrace1\"}}"
                    : "{\"events_received\": 1, \"messages\": [], \"fbtrace_id\": \"AbTrace2\"}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(refused ? 400 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            // Only after the answer is out: a test waiting for this sees the outcome about to be recorded.
            for (String part : body.split("\"event_id\"\\s*:\\s*\"")) {
                int end = part.indexOf('"');
                if (end > 0 && part.length() >= 36) {
                    answered.add(part.substring(0, end));
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
