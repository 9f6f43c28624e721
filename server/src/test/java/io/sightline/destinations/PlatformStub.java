package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A platform on a local port for the end-to-end forwarding tests: it checks each request as the platform does
 * ({@link #meta}, {@link #umami}), answers with the platform's own bodies, and keeps what a deduplicating platform
 * would: the events it accepted (once per {@code event_id}), the copies it got again, and how many requests for one
 * event were open at the same moment. A test can also hold requests open ({@link #hold()}) or change the answer.
 */
final class PlatformStub implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern META_PATH = Pattern.compile("/v[0-9]+\\.[0-9]+/([0-9]+)/events");
    private static final Pattern BOT = Pattern.compile("bot|crawl|spider|java|curl|python|http");

    record Hit(String method, String path, String query, String headers, String userAgent, String contentType,
               String body, Instant at) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }

        /** The pixel of a Meta request's path, or null when the path is not Meta's. */
        String pixel() {
            var m = META_PATH.matcher(path);
            return m.matches() ? m.group(1) : null;
        }

        /** The Sightline event ids the request carries (Meta's {@code data[].event_id}). */
        List<String> eventIds() {
            List<String> ids = new ArrayList<>();
            json().path("data").forEach(e -> ids.add(e.path("event_id").asText()));
            return ids;
        }
    }

    record Reply(int status, Map<String, String> headers, String body) {
        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body);
        }
    }

    /** The answer to the {@code n}-th request (from 1). */
    interface Answer {
        Reply answer(Hit hit, int n);
    }

    private final HttpServer server;
    // Unbounded, so that held requests never keep others from being answered.
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final AtomicInteger maxOpenPerEvent = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch gate;
    private volatile Answer answer;

    PlatformStub(Answer answer) throws IOException {
        this.answer = answer;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void answerWith(Answer next) {
        answer = next;
    }

    /** From now on requests wait (unanswered) until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** Requests that arrived while held. */
    int held() {
        return held.get();
    }

    List<Hit> hits() {
        return List.copyOf(hits);
    }

    /** Event id → how many times a copy of it got a 2xx (a platform that deduplicates keeps the first). */
    Map<String, Integer> accepted() {
        return Map.copyOf(accepted);
    }

    /** Copies of already accepted events that got a 2xx again (re-sends; the platform drops them). */
    int duplicates() {
        return duplicates.get();
    }

    /** The most requests carrying one same event that were open at one moment. */
    int maxOpenPerEvent() {
        return maxOpenPerEvent.get();
    }

    /** Checks as Meta's Conversions API does ({@code POST /{version}/{pixel}/events}), and answers as it does. */
    static Answer meta(java.util.Collection<String> tokens) {
        return (hit, n) -> {
            List<String> problems = metaProblems(hit, tokens);
            return problems.isEmpty() ? metaSuccess(hit) : metaError(400, "Invalid parameter", 100,
                    String.join("; ", problems));
        };
    }

    static Reply metaSuccess(Hit hit) {
        return Reply.json(200, "{\"events_received\": " + hit.json().path("data").size()
                + ", \"messages\": [], \"fbtrace_id\": \"AbCdEf123\"}");
    }

    /** The Graph API's error shape. */
    static Reply metaError(int status, String message, int code, String userMessage) {
        return Reply.json(status, "{\"error\": {\"message\": \"" + message + "\", \"type\": \"OAuthException\","
                + " \"code\": " + code + ", \"error_subcode\": 2804050, \"is_transient\": false,"
                + " \"error_user_msg\": \"" + userMessage + "\", \"fbtrace_id\": \"Az9Trace\"}}");
    }

    private static List<String> metaProblems(Hit hit, java.util.Collection<String> tokens) {
        List<String> problems = new ArrayList<>();
        if (!"POST".equals(hit.method()) || hit.pixel() == null) {
            problems.add(hit.method() + " " + hit.path());
        }
        if (!String.valueOf(hit.contentType()).startsWith("application/json")) {
            problems.add("content type " + hit.contentType());
        }
        JsonNode body = hit.json();
        if (!tokens.contains(body.path("access_token").asText(""))) {
            problems.add("access_token missing from the body");
        }
        JsonNode data = body.path("data");
        if (!data.isArray() || data.isEmpty() || data.size() > 1000) {
            problems.add("data must hold 1 to 1000 events");
        }
        for (JsonNode e : data) {
            for (String required : List.of("event_name", "event_time", "event_id", "action_source", "user_data")) {
                if (!e.has(required)) {
                    problems.add("missing " + required);
                }
            }
            if (String.valueOf(e.path("event_time").asLong()).length() != 10) {
                problems.add("event_time must be Unix seconds");
            }
            e.path("user_data").path("em").forEach(h -> {
                if (!SHA256.matcher(h.asText()).matches()) {
                    problems.add("em is not a SHA-256 hex");
                }
            });
            if ("Purchase".equals(e.path("event_name").asText())
                    && !(e.path("custom_data").has("value") && e.path("custom_data").has("currency"))) {
                problems.add("Purchase needs value and currency");
            }
        }
        return problems;
    }

    /** Checks as Umami's {@code /api/send} does; a bot's User-Agent gets its silent {@code beep boop}. */
    static Answer umami(String websiteId) {
        return (hit, n) -> {
            if (BOT.matcher(String.valueOf(hit.userAgent()).toLowerCase(Locale.ROOT)).find()) {
                return Reply.json(200, "{\"beep\": \"boop\"}");
            }
            JsonNode p = hit.json().path("payload");
            if (!"POST".equals(hit.method()) || !hit.path().endsWith("/api/send")
                    || !"event".equals(hit.json().path("type").asText()) || !websiteId.equals(p.path("website").asText())
                    || p.path("name").asText().isEmpty()) {
                return Reply.json(400, "{\"error\": {\"message\": \"Bad request\", \"code\": \"bad-request\","
                        + " \"status\": 400}}");
            }
            return Reply.json(200, "{\"cache\": \"eyJhbGciOi.xxx\", \"sessionId\": \"0b1e2c3d\", \"visitId\": \"1c2d\"}");
        };
    }

    /** The worst platform: a 400 whose error message repeats the whole request, credentials and all. */
    static Answer echo() {
        return (hit, n) -> {
            var body = JSON.createObjectNode();
            var error = body.putObject("error");
            error.put("message", hit.method() + " " + hit.path() + "?" + hit.query() + " " + hit.headers() + " "
                    + hit.body());
            error.put("code", 100);
            error.put("status", "INVALID_ARGUMENT");
            return Reply.json(400, body.toString());
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Hit hit = new Hit(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().entrySet().toString(),
                    exchange.getRequestHeaders().getFirst("User-Agent"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, Instant.now());
            hits.add(hit);
            int n = hits.size();
            List<String> ids = hit.eventIds();
            for (String id : ids) {
                int now = open.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                maxOpenPerEvent.accumulateAndGet(now, Math::max);
            }
            Reply reply;
            try {
                CountDownLatch g = gate;
                if (g != null) {
                    held.incrementAndGet();
                    g.await(60, TimeUnit.SECONDS);
                }
                reply = answer.answer(hit, n);
                if (reply.status() / 100 == 2) {
                    for (String id : ids) {
                        if (accepted.merge(id, 1, Integer::sum) > 1) {
                            duplicates.incrementAndGet();
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                ids.forEach(id -> open.get(id).decrementAndGet());
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
