package io.sightline.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;

/**
 * A local HTTP proxy in front of the real server that plays the failures a phone meets: a 503 before the server
 * saw the batch, an answer lost after the server committed it, an answer that never comes. It records the event
 * ids of every request it receives.
 */
final class TestProxy implements AutoCloseable {
    enum Action {
        /** 503 with Retry-After: 1; the server never sees the batch. */
        REFUSE_503,
        /** The server stores the batch, the client gets a 503: the answer was lost. */
        FORWARD_THEN_503,
        FORWARD,
        /** The server stores the batch and the answer is held until the proxy closes. */
        FORWARD_THEN_HOLD
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpServer server;
    private final URI target;
    private final IntFunction<Action> script;
    private final List<List<String>> requests = new CopyOnWriteArrayList<>();
    private final List<Action> actions = new CopyOnWriteArrayList<>();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<List<String>> heldAfterStoring = new CopyOnWriteArrayList<>();

    /** @param script the action for the n-th request (0-based) */
    TestProxy(URI target, IntFunction<Action> script) throws IOException {
        this.target = target;
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The event ids of each request received, in order of arrival. */
    List<List<String>> requests() {
        return new ArrayList<>(requests);
    }

    List<Action> actions() {
        return new ArrayList<>(actions);
    }

    /** When each request arrived ({@link System#nanoTime()}). */
    List<Long> arrivals() {
        return new ArrayList<>(arrivals);
    }

    /** The event ids of the requests that the server answered with 2xx and whose answer the proxy holds. */
    List<List<String>> heldAfterStoring() {
        return new ArrayList<>(heldAfterStoring);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        Action action;
        List<String> ids = eventIds(body, "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding")));
        synchronized (this) {
            action = script.apply(requests.size());
            requests.add(ids);
            actions.add(action);
            arrivals.add(System.nanoTime());
        }
        if (action == Action.REFUSE_503) {
            answer(ex, 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"try later\"}}", "1");
            return;
        }
        HttpResponse<String> forwarded = forward(ex, body);
        switch (action) {
            case FORWARD -> answer(ex, forwarded.statusCode(), forwarded.body(),
                    forwarded.headers().firstValue("Retry-After").orElse(null));
            case FORWARD_THEN_503 -> answer(ex, 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"lost\"}}", "1");
            case FORWARD_THEN_HOLD -> {
                if (forwarded.statusCode() / 100 == 2) {
                    heldAfterStoring.add(ids);
                }
                try {
                    closing.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
            }
            default -> throw new IllegalStateException(action.name());
        }
    }

    private HttpResponse<String> forward(HttpExchange ex, byte[] body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().getPath()))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : List.of("Content-Type", "Content-Encoding", "X-Write-Key", "User-Agent")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void answer(HttpExchange ex, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", retryAfter);
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static List<String> eventIds(byte[] body, boolean gzipped) throws IOException {
        byte[] json = gzipped ? new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes() : body;
        List<String> ids = new ArrayList<>();
        for (JsonNode e : JSON.readTree(json).get("events")) {
            ids.add(e.get("event_id").asText());
        }
        return ids;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
