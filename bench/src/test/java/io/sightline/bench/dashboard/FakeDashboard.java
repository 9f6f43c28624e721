package io.sightline.bench.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the dashboard with the contract's hooks and nothing else: a login form that posts to
 * {@code /api/v1/session} (which sets the cookie and remembers the password it got), and an overview whose script,
 * long-cached, draws "cards" after 100 ms, "chart" when its API call answers, inserts "funnel" already in error after
 * 300 ms, and marks the body ready 50 ms later. Serves the overview only with the session cookie.
 */
final class FakeDashboard implements AutoCloseable {
    private static final String LOGIN = """
            <!doctype html><html><body><form id="f"><label>Email <input type="email" name="email"></label>
            <label>Password <input type="password" name="password"></label><button type="submit">Sign in</button></form>
            <script>document.getElementById('f').addEventListener('submit', e => { e.preventDefault();
              const f = new FormData(e.target);
              fetch('/api/v1/session', {method: 'POST', body: JSON.stringify(Object.fromEntries(f))})
                .then(r => { if (r.ok) location = '/'; }); });</script></body></html>""";
    private static final String OVERVIEW = """
            <!doctype html><html><body><div data-panel="cards" data-state="loading"></div>
            <div data-panel="chart" data-state="loading"></div><div id="later"></div>
            <script src="/assets/app.js?v=1"></script></body></html>""";
    private static final String SCRIPT = """
            setTimeout(() => document.querySelector('[data-panel=cards]').dataset.state = 'ready', 100);
            fetch('/api/v1/apps/1/stats/summary').then(r => r.text())
              .then(() => document.querySelector('[data-panel=chart]').dataset.state = 'empty');
            setTimeout(() => {
              document.getElementById('later').innerHTML = '<section data-panel="funnel" data-state="error"></section>';
              setTimeout(() => document.body.dataset.ready = 'true', 50);
            }, 300);""";
    static final int SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8).length;

    private final HttpServer server;
    private final Map<String, String> signIns = new ConcurrentHashMap<>();

    FakeDashboard() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The last body posted to {@code /api/v1/session}. */
    String signInBody() {
        return signIns.getOrDefault("last", "");
    }

    private void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        boolean signedIn = String.valueOf(ex.getRequestHeaders().getFirst("Cookie")).contains("sightline_session=s1");
        if (path.equals("/login")) {
            send(ex, 200, "text/html", LOGIN);
        } else if (path.equals("/api/v1/session") && ex.getRequestMethod().equals("POST")) {
            signIns.put("last", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.getResponseHeaders().add("Set-Cookie", "sightline_session=s1; Path=/; HttpOnly; SameSite=Strict");
            send(ex, 200, "application/json", "{}");
        } else if (path.startsWith("/apps/")) {
            send(ex, 200, "text/html", signedIn ? OVERVIEW : "<!doctype html><p>sign in");
        } else if (path.equals("/assets/app.js")) {
            ex.getResponseHeaders().add("Cache-Control", "max-age=3600, immutable");
            send(ex, 200, "text/javascript", SCRIPT);
        } else {
            send(ex, signedIn ? 200 : 401, "application/json", "{\"events\":" + "1".repeat(2000) + "}");
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
