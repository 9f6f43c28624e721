package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sightline.testing.TestServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A customer's web site for the tracker's tests: another origin ({@code http://localhost:<port>}, while Sightline
 * is {@code http://127.0.0.1:<port>}), so every request the tracker makes to Sightline is a real cross-site one.
 * Each test registers a site under a prefix of its own with the write key of an app of its own; every path under
 * the prefix answers the same page (as a single-page app's server does), which loads the tracker from Sightline
 * and holds a few tracked elements and a {@code <model-viewer>} stand-in.
 */
final class CustomerSite implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A desktop Chrome's User-Agent: headless Chromium's own names itself a bot, whose events the server drops. */
    static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36";

    private final HttpServer http;
    private final TestServer sightline;
    private final Map<String, String> pages = new ConcurrentHashMap<>();

    private CustomerSite(HttpServer http, TestServer sightline) {
        this.http = http;
        this.sightline = sightline;
    }

    static CustomerSite start(TestServer sightline) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        CustomerSite site = new CustomerSite(http, sightline);
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String prefix = path.split("/").length > 1 ? path.split("/")[1] : "";
            String html = site.pages.get(prefix);
            if (html == null && path.equals("/favicon.ico")) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            byte[] bytes = (html == null ? "not found" : html).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(html == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        http.start();
        return site;
    }

    /** A new app of Sightline, and its site under {@code /<prefix>/}; returns the app. */
    App app(String prefix) throws IOException {
        JsonNode created = JSON.readTree(sightline.admin("POST", "/api/v1/apps", "{\"name\":\"" + prefix + "\"}").body());
        App app = new App(created.get("id").asLong(), created.get("write_key").asText());
        pages.put(prefix, page(app.writeKey()));
        return app;
    }

    /** The address of a page of the site. */
    String url(String path) {
        return "http://localhost:" + http.getAddress().getPort() + path;
    }

    private String page(String writeKey) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>Oak armchair</title>
                  <script defer src="%s/sightline.js" data-write-key="%s"></script>
                  <script>
                    // A stand-in for <model-viewer>: the tracker only listens to its events and reads its orbit.
                    customElements.define('model-viewer', class extends HTMLElement {
                      constructor() { super(); this.radius = 2; }
                      getCameraOrbit() { return { theta: 0, phi: 1.2, radius: this.radius }; }
                    });
                    // What a page tracks as it is left: sent by the tracker's own pagehide flush, which runs after.
                    addEventListener('pagehide', () => window.sightline.track('left_page', { from: location.pathname }));
                  </script>
                </head>
                <body>
                  <button id="buy" data-sightline-event="conversion" data-sightline-cta-id="buy-now"
                          data-sightline-value="349.5" data-sightline-currency="EUR">Buy</button>
                  <a id="share" href="#shared" data-sightline-event="shared_link" data-sightline-channel="mail"><span
                     id="share-label">Share</span></a>
                  <button id="shot" data-sightline-event="screenshot" data-sightline-object-id="armchair-oak"
                          onclick="event.stopPropagation()">Screenshot</button>
                  <button id="plain">Not tracked</button>
                  <model-viewer id="armchair-oak" ar-placement="floor" src="/models/armchair.glb"></model-viewer>
                </body>
                </html>
                """.formatted(sightline.uri("").toString(), writeKey);
    }

    @Override
    public void close() {
        http.stop(0);
    }

    record App(long id, String writeKey) {}

    /** One stored event, as the tests look at it. */
    record Row(String type, String name, JsonNode properties, String visitorId, String sessionId,
               List<String> derived, boolean bot, String locale) {
        String property(String key) {
            return properties.path(key).asText(null);
        }
    }

    /** The app's stored events. */
    List<Row> rows(long appId) throws SQLException, IOException {
        try (Connection c = sightline.db();
             PreparedStatement ps = c.prepareStatement("SELECT event_type, event_name, properties::text, visitor_id,"
                     + " session_id, derived, is_bot, locale FROM analytics_events WHERE app_id = ?"
                     + " ORDER BY occurred_at, event_type")) {
            ps.setLong(1, appId);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array derived = rs.getArray(6);
                    rows.add(new Row(rs.getString(1), rs.getString(2), JSON.readTree(rs.getString(3)), rs.getString(4),
                            rs.getString(5), Arrays.asList((String[]) derived.getArray()), rs.getBoolean(7),
                            rs.getString(8)));
                }
            }
            return rows;
        }
    }

    /** Waits (up to 20 s) until the app's stored events satisfy {@code done}: the tracker sends on its own time. */
    List<Row> awaitRows(long appId, Predicate<List<Row>> done) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<Row> rows = rows(appId);
        while (!done.test(rows)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the expected events did not arrive; stored: " + rows);
            }
            Thread.sleep(100);
            rows = rows(appId);
        }
        return rows;
    }

    /** Waits until a custom event of this name is stored: the marker a test sends after what it checks. */
    List<Row> awaitCustom(long appId, String name) throws Exception {
        return awaitRows(appId, rows -> rows.stream().anyMatch(r -> r.type().equals("custom") && name.equals(r.name())));
    }
}
