package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.testing.TestServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the end-to-end forwarding tests share: the server settings that point Meta at a {@link PlatformStub}, the
 * admin and ingestion calls, waiting for a condition, and a copy of everything the server logs, so that each test
 * class can check that no credential it gave ever shows in an answer or the log.
 */
final class Forwarding {
    static final String PIXEL = "123456789012345";
    static final String UMAMI_SITE = "4f8a2b1c-3d4e-4f5a-8b6c-7d8e9f0a1b2c";
    /** Every credential given to a server in this JVM. */
    static final List<String> SECRETS = new CopyOnWriteArrayList<>();
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static PrintStream stderr;

    private Forwarding() {
    }

    /** The settings of a server whose Meta is {@code meta}; {@code extra} as name, value pairs. */
    static Map<String, String> env(PlatformStub meta, String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("SIGHTLINE_META_BASE_URL", meta.baseUrl().toString());
        env.put("SIGHTLINE_FORWARD_BACKOFF", "100ms");
        env.put("SIGHTLINE_FORWARD_TIMEOUT", "5s");
        // Seconds of start-up each; the events' device fields do not matter here.
        env.put("SIGHTLINE_DEVICE_DETECTION", "false");
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    /** A fresh credential, remembered so that the log and the answers can be searched for it. */
    static String secret(String prefix) {
        String s = prefix + HexFormat.of().formatHex(io.sightline.auth.Secrets.randomBytes(12));
        SECRETS.add(s);
        return s;
    }

    /** Creates a Meta destination of app 1 with its own token; returns its id and token. */
    static Meta meta(TestServer server, String eventsJson) throws IOException {
        String token = secret("EAAG");
        long id = create(server, "{\"type\":\"meta\",\"name\":\"Meta\",\"config\":{\"pixel_id\":\"" + PIXEL
                + "\",\"access_token\":\"" + token + "\"}" + (eventsJson == null ? "" : ",\"events\":" + eventsJson)
                + "}");
        return new Meta(id, token);
    }

    record Meta(long id, String token) {}

    static long create(TestServer server, String json) throws IOException {
        HttpResponse<String> r = server.admin("POST", "/api/v1/apps/1/destinations", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertNoSecret(r.body());
        return PlatformStub.JSON.readTree(r.body()).get("id").asLong();
    }

    /** An admin call whose answer is checked for status and for credentials. */
    static JsonNode admin(TestServer server, String method, String path, String json, int status) throws IOException {
        HttpResponse<String> r = server.admin(method, path, json);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        assertNoSecret(r.body());
        return r.body().isEmpty() ? PlatformStub.JSON.createObjectNode() : PlatformStub.JSON.readTree(r.body());
    }

    /** A conversion with a fresh event id; {@code value} null makes it a lead. */
    static String conversion(String eventId, Double value, boolean ads, String visitor) {
        return "{\"type\":\"conversion\",\"event_id\":\"" + eventId + "\",\"visitor_id\":\"" + visitor + "\","
                + "\"properties\":{\"cta_id\":\"buy\"" + (value == null ? "" : ",\"value\":" + value
                + ",\"currency\":\"EUR\"") + "},\"context\":{\"consent\":{\"analytics\":true,\"ads\":" + ads + "},"
                + "\"click_ids\":{\"fbc\":\"fb.1.1554763741205.IwAR2F4abc\"},"
                + "\"traits\":{\"email\":\" Ada@Example.org \"}}}";
    }

    /** Sends one event, checks it was stored, and returns its id. */
    static String track(TestServer server, String json) throws IOException {
        HttpResponse<String> r = server.ingest("/api/v1/analytics/track", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = PlatformStub.JSON.readTree(r.body());
        assertThat(answer.get("accepted").asInt()).as(r.body()).isEqualTo(1);
        return answer.get("event_id").asText();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Starts copying what the server logs (slf4j-simple writes to whatever System.err is at the moment). */
    static synchronized void captureLog() {
        if (stderr == null) {
            stderr = System.err;
            System.setErr(new PrintStream(new Tee(stderr, LOG), true, StandardCharsets.UTF_8));
        }
    }

    static String log() {
        synchronized (LOG) {
            return LOG.toString(StandardCharsets.UTF_8);
        }
    }

    /** Neither the credential nor its URL-encoded form (a form body or query carries it so). */
    static void assertNoSecret(String text) {
        for (String secret : SECRETS) {
            assertThat(text).as("an answer or log").doesNotContain(secret)
                    .doesNotContain(java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8));
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
