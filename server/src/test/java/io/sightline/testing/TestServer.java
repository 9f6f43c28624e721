package io.sightline.testing;

import io.sightline.Sightline;
import io.sightline.config.Config;
import io.sightline.destinations.DestinationType;
import io.sightline.destinations.Platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The real server, in this JVM, on a random port, over a fresh database of the shared test PostgreSQL. */
public final class TestServer implements AutoCloseable {
    /** The destinations' encryption key of test servers, one per test JVM (base64 of 32 random bytes). */
    public static final String TEST_SECRET_KEY = java.util.Base64.getEncoder().encodeToString(
            io.sightline.auth.Secrets.randomBytes(32));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Sightline sightline;
    private final String jdbcUrl;
    private final String writeKey;
    private final String adminToken;

    private TestServer(Sightline sightline, String jdbcUrl, String writeKey, String adminToken) {
        this.sightline = sightline;
        this.jdbcUrl = jdbcUrl;
        this.writeKey = writeKey;
        this.adminToken = adminToken;
    }

    public static TestServer start() {
        return start(Map.of(), Clock.systemUTC());
    }

    public static TestServer start(Map<String, String> env, Clock clock) {
        return start(env, clock, Map.of());
    }

    /**
     * With the platform clients a real server builds ({@code Sightline.start}'s default map), at the base URLs the
     * {@code SIGHTLINE_*_BASE_URL} variables in {@code env} give.
     */
    public static TestServer startWithRealPlatforms(Map<String, String> env, Clock clock) {
        return start(env, clock, null);
    }

    /**
     * With the given destination platform clients (test doubles pointing at local receivers, say); null gives the
     * real ones, as {@link #startWithRealPlatforms}.
     */
    public static TestServer start(Map<String, String> env, Clock clock, Map<DestinationType, Platform> platforms) {
        return start(env, clock, platforms, null);
    }

    /** With the real platform clients, at the base URLs the environment gives (local receivers, say). */
    public static TestServer startForwarding(Map<String, String> env, Clock clock) {
        return start(env, clock, null, null);
    }

    /**
     * A second instance over {@code first}'s database (as a second replica would run): it bootstraps nothing, so
     * it answers to {@code first}'s write key and admin token. Real platform clients, as {@link #startForwarding}.
     */
    public static TestServer join(TestServer first, Map<String, String> env, Clock clock) {
        return start(env, clock, null, first);
    }

    private static TestServer start(Map<String, String> env, Clock clock, Map<DestinationType, Platform> platforms,
                                    TestServer first) {
        String url = first == null ? TestDatabase.createDatabase() : first.jdbcUrl;
        Map<String, String> vars = new HashMap<>();
        vars.put("SIGHTLINE_HTTP_HOST", "127.0.0.1");
        vars.put("SIGHTLINE_HTTP_PORT", "0");
        vars.put("SIGHTLINE_DATABASE_URL", url);
        vars.put("SIGHTLINE_DATABASE_USER", "postgres");
        vars.put("SIGHTLINE_DATABASE_PASSWORD", TestDatabase.server().password());
        // No load balancer watches a test server: closing it need not hold the listener open.
        vars.put("SIGHTLINE_SHUTDOWN_DRAIN", "0s");
        // A key in the environment, so that test servers write no secret.key into the working directory.
        vars.put("SIGHTLINE_SECRET_KEY", TEST_SECRET_KEY);
        vars.putAll(env);
        try {
            Config config = Config.load(vars);
            Sightline s = platforms == null ? Sightline.start(config, clock) : Sightline.start(config, clock, platforms);
            return first == null
                    ? new TestServer(s, url, s.created().defaultApp().orElseThrow().writeKey(),
                            s.created().adminToken().orElseThrow())
                    : new TestServer(s, url, first.writeKey, first.adminToken);
        } catch (Exception e) {
            throw new IllegalStateException("the test server did not start", e);
        }
    }

    public String writeKey() {
        return writeKey;
    }

    public String adminToken() {
        return adminToken;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Connection db() throws SQLException {
        return TestDatabase.connect(jdbcUrl);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + sightline.port() + path);
    }

    public HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    public HttpResponse<String> postBytes(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    /** POSTs JSON with the default app's write key. */
    public HttpResponse<String> ingest(String path, String json) {
        return post(path, json, Map.of("Content-Type", "application/json", "X-Write-Key", writeKey));
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(b::header);
        return send(b.build());
    }

    public HttpResponse<String> admin(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(b.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("HTTP request failed: " + request.method() + " " + request.uri(), e);
        }
    }

    public Sightline sightline() {
        return sightline;
    }

    @Override
    public void close() {
        sightline.close();
    }
}
