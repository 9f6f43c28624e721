package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.RawHttp;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class WebHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ASSET = Pattern.compile("\"(/assets/[^\"?]+)\\?v=([0-9a-f]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestServer server;
    private static String version;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        Matcher m = ASSET.matcher(server.get("/login", Map.of()).body());
        assertThat(m.find()).as("index.html names its assets with a version").isTrue();
        version = m.group(2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void every_page_route_answers_the_one_index_html_and_never_caches_it() {
        String first = null;
        for (String page : List.of("/", "/login", "/setup", "/apps/1", "/admin/apps", "/admin/users", "/admin/tokens",
                "/admin/privacy", "/admin/destinations?app=1", "/share/shr_anything", "/apps/1?range=7d&filter=country:eq:DE")) {
            HttpResponse<String> page1 = server.get(page, Map.of());
            assertThat(page1.statusCode()).as(page).isEqualTo(200);
            assertThat(page1.headers().firstValue("Content-Type").orElse("")).as(page).startsWith("text/html");
            assertThat(page1.headers().firstValue("Cache-Control")).as(page).contains("no-cache");
            assertThat(page1.body()).as(page).contains("<script type=\"module\" src=\"/assets/app.js?v=" + version + "\"")
                    .doesNotContain(WebAssets.VERSION_MARK);
            if (first == null) {
                first = page1.body();
            }
            assertThat(page1.body()).as(page).isEqualTo(first);
        }
    }

    @Test
    void every_asset_the_index_names_is_served_with_its_type_and_cached_for_a_year_under_that_version() {
        Matcher m = ASSET.matcher(server.get("/", Map.of()).body());
        List<String> named = new ArrayList<>();
        while (m.find()) {
            named.add(m.group(1));
            HttpResponse<String> asset = server.get(m.group(1) + "?v=" + m.group(2), Map.of());
            assertThat(asset.statusCode()).as(m.group(1)).isEqualTo(200);
            assertThat(asset.headers().firstValue("Cache-Control")).as(m.group(1))
                    .contains("public, max-age=31536000, immutable");
            String type = asset.headers().firstValue("Content-Type").orElse("");
            if (m.group(1).endsWith(".js")) {
                assertThat(type).as(m.group(1)).startsWith("text/javascript");
            } else if (m.group(1).endsWith(".css")) {
                assertThat(type).as(m.group(1)).startsWith("text/css");
            } else if (m.group(1).endsWith(".svg")) {
                assertThat(type).as(m.group(1)).startsWith("image/svg+xml");
            }
        }
        assertThat(named).contains("/assets/app.js", "/assets/app.css", "/assets/vendor/uPlot.iife.min.js",
                "/assets/vendor/uPlot.min.css");
    }

    @Test
    void serves_uplot_from_its_webjar() {
        HttpResponse<String> script = server.get("/assets/vendor/uPlot.iife.min.js", Map.of());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(script.body()).contains("uPlot").hasSizeGreaterThan(40_000);
        HttpResponse<String> css = server.get("/assets/vendor/uPlot.min.css", Map.of());
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        assertThat(css.body()).contains(".uplot");
    }

    @Test
    void an_asset_asked_for_without_the_current_version_is_revalidated_by_its_etag() {
        for (String path : List.of("/assets/app.css", "/assets/app.js?v=an-old-build")) {
            HttpResponse<String> first = server.get(path, Map.of());
            assertThat(first.statusCode()).as(path).isEqualTo(200);
            assertThat(first.headers().firstValue("Cache-Control")).as(path).contains("no-cache");
            String etag = first.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = server.get(path, Map.of("If-None-Match", etag));
            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
    }

    @Test
    void module_imports_carry_the_version_so_each_module_is_loaded_once_and_cached() {
        String app = server.get("/assets/app.js?v=" + version, Map.of()).body();
        assertThat(app).contains("from './api.js?v=" + version + "'")
                .doesNotContainPattern("from '\\./[a-z-]+\\.js'");
    }

    @Test
    void rewrites_static_and_dynamic_relative_imports_only() {
        String source = "import { a } from './a.js';\nimport './b.js';\nconst c = await import(\"./c.js\");\n"
                + "export { d } from './d.js';\nconst text = 'from ./e.js';\nimport x from 'https://example.com/x.js';";
        assertThat(WebAssets.versionImports(source, "v1")).isEqualTo(
                "import { a } from './a.js?v=v1';\nimport './b.js?v=v1';\nconst c = await import(\"./c.js?v=v1\");\n"
                        + "export { d } from './d.js?v=v1';\nconst text = 'from ./e.js';\n"
                        + "import x from 'https://example.com/x.js';");
    }

    @Test
    void text_assets_are_gzipped_for_clients_that_accept_it() throws Exception {
        String plain = server.get("/assets/app.css?v=" + version, Map.of()).body();
        HttpResponse<byte[]> zipped = HTTP.send(HttpRequest.newBuilder(server.uri("/assets/app.css?v=" + version))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(zipped.headers().firstValue("Vary")).contains("Accept-Encoding");
        assertThat(zipped.body().length).isLessThan(plain.length() / 2);
        assertThat(gunzip(zipped.body())).isEqualTo(plain);
    }

    @Test
    void an_unknown_asset_is_a_json_404() throws Exception {
        for (String path : List.of("/assets/nope.js", "/assets/index.html", "/assets/vendor/uPlot.esm.js",
                "/assets/vendor/app.js")) {
            HttpResponse<String> answer = server.get(path, Map.of());
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            JsonNode error = JSON.readTree(answer.body()).path("error");
            assertThat(error.path("code").asText()).as(path).isEqualTo("not_found");
        }
    }

    @Test
    void a_path_that_climbs_out_of_the_assets_finds_nothing() throws IOException {
        for (String path : List.of("/assets/..%2Fopenapi.json", "/assets/%2e%2e%2fopenapi.json", "/assets/..",
                "/assets/vendor/..%2F..%2Fopenapi.json", "/assets/vendor/%2e%2e", "/assets/..%5Cweb%5Capp.js",
                "/assets/vendor/..%2Fuplot.jar")) {
            RawHttp.Answer answer = RawHttp.exchange(server.sightline().port(),
                    "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).as(path).isIn(400, 404);
            assertThat(answer.body()).as(path).doesNotContain("openapi").doesNotContain("import ");
        }
    }

    @Test
    void pages_carry_the_content_security_policy() {
        HttpResponse<String> page = server.get("/login", Map.of());
        String policy = page.headers().firstValue("Content-Security-Policy").orElse(null);
        assertThat(policy).as("Content-Security-Policy").isNotNull();
        assertThat(policy).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'");
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain(" style=");
    }

    @Test
    void the_index_has_no_inline_script_or_style_attribute() {
        String index = server.get("/", Map.of()).body();
        assertThat(index).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContain(" style=")
                .doesNotContain("<style").doesNotContainPattern("\\son[a-z]+=");
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
