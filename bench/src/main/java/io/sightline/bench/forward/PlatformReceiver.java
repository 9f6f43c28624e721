package io.sightline.bench.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A local stand-in for one ad platform's conversions endpoint, in the benchmark's JVM: it reads each request's
 * event ids (see {@link EventIds}), records when they arrived in a {@link ReceiptLog}, and answers at once with
 * the platform's documented success body, so that what is measured is Sightline, not the receiver. It checks
 * nothing else (the server's own tests check the formats); a body it cannot read is answered 400, which the
 * server dead-letters, and so shows as a lost event.
 *
 * <p>The success bodies: Meta {@code {"events_received", "messages", "fbtrace_id"}} (Conversions API, "Using the
 * API"); Google Ads {@code UploadClickConversionsResponse} {@code {"results": [ClickConversionResult], "jobId"}},
 * and its OAuth token endpoint {@code {"access_token", "expires_in", "scope", "token_type"}}; LinkedIn's
 * BATCH_CREATE {@code {"elements": [{"status": 201}]}}; X {@code {"request": {"params"}, "data":
 * {"conversions_processed", "debug_id"}}}.
 */
final class PlatformReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK's server writes the response head and body in separate writes and leaves Nagle's algorithm on by
        // default; against the client's delayed ACK that cost 40 ms per request (48 ms against 5.5 ms for a
        // 1,000-event Meta request, measured here), which the benchmark would have charged to Sightline. Read once,
        // when the first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String name;
    private final EventIds ids;
    private final BiFunction<JsonNode, Integer, String> success;
    private final HttpServer server;
    private final ExecutorService threads;
    private final ReceiptLog receipts = new ReceiptLog();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();

    private PlatformReceiver(String name, EventIds ids, BiFunction<JsonNode, Integer, String> success) throws IOException {
        this.name = name;
        this.ids = ids;
        this.success = success;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "receiver-" + name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::conversions);
    }

    static PlatformReceiver meta() throws IOException {
        return start(new PlatformReceiver("meta", EventIds.META, (body, n) ->
                "{\"events_received\":" + n + ",\"messages\":[],\"fbtrace_id\":\"ABenchTrace\"}"));
    }

    /** Google Ads, with the OAuth token endpoint at {@code /token} of the same server. */
    static PlatformReceiver googleAds() throws IOException {
        PlatformReceiver google = new PlatformReceiver("google_ads", EventIds.GOOGLE_ADS, PlatformReceiver::googleResults);
        google.server.createContext("/token", google::token);
        return start(google);
    }

    static PlatformReceiver linkedIn() throws IOException {
        return start(new PlatformReceiver("linkedin", EventIds.LINKEDIN, (body, n) ->
                "{\"elements\":[" + String.join(",", java.util.Collections.nCopies(n, "{\"status\":201}")) + "]}"));
    }

    static PlatformReceiver x() throws IOException {
        return start(new PlatformReceiver("x", EventIds.X, (body, n) ->
                "{\"request\":{\"params\":{\"account_id\":\"18ce54d4x5t\"}},\"data\":{\"conversions_processed\":" + n
                        + ",\"debug_id\":\"bench\"}}"));
    }

    private static PlatformReceiver start(PlatformReceiver receiver) {
        receiver.server.start();
        return receiver;
    }

    String name() {
        return name;
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    ReceiptLog receipts() {
        return receipts;
    }

    long requests() {
        return requests.get();
    }

    /** Requests answered 400 because their body held no readable event ids. */
    long refused() {
        return refused.get();
    }

    long tokensIssued() {
        return tokens.get();
    }

    private void conversions(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        requests.incrementAndGet();
        try (exchange) {
            JsonNode body;
            List<UUID> received;
            try {
                body = EventIds.parse(exchange.getRequestBody().readAllBytes());
                received = ids.of(body);
            } catch (IOException | IllegalArgumentException unreadable) {
                refused.incrementAndGet();
                answer(exchange, 400, "{\"error\":{\"message\":\"benchmark receiver: " + unreadable.getMessage()
                        .replace('"', '\'') + "\"}}");
                return;
            }
            receipts.record(received, arrived);
            answer(exchange, 200, success.apply(body, received.size()));
        }
    }

    /** Google's token endpoint: a refresh-token grant gets an access token valid for an hour. */
    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!form.contains("grant_type=refresh_token")) {
                answer(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            answer(exchange, 200, "{\"access_token\":\"ya29.bench-" + tokens.incrementAndGet()
                    + "\",\"expires_in\":3599,\"scope\":\"https://www.googleapis.com/auth/adwords\",\"token_type\":\"Bearer\"}");
        }
    }

    /** One ClickConversionResult per row, echoing its gclid, action and time, as Google does for accepted rows. */
    private static String googleResults(JsonNode body, int n) {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode results = answer.putArray("results");
        for (JsonNode c : body.path("conversions")) {
            ObjectNode r = results.addObject();
            for (String field : new String[] {"gclid", "conversionAction", "conversionDateTime"}) {
                if (c.has(field)) {
                    r.set(field, c.get(field));
                }
            }
        }
        answer.put("jobId", "4242");
        return answer.toString();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
