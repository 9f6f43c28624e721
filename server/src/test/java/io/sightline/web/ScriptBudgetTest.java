package io.sightline.web;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's budget: all the dashboard's JavaScript together is at most 150 KB gzipped. Counted as served: every
 * script of the page's folder and uPlot from its webjar, each fetched with {@code Accept-Encoding: gzip}, so a
 * script added later is counted without anyone listing it here.
 */
class ScriptBudgetTest {
    private static final long BUDGET_BYTES = 150 * 1024;
    private static final Path SOURCES = Path.of("src/main/resources/web");

    @Test
    void all_javascript_served_is_at_most_150_kb_gzipped() throws Exception {
        List<String> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".js"))
                    .forEach(n -> scripts.add("/assets/" + n));
        }
        scripts.add("/assets/vendor/uPlot.iife.min.js");
        assertThat(scripts).contains("/assets/app.js", "/assets/admin.js");
        HttpClient http = HttpClient.newHttpClient();
        long total = 0;
        try (TestServer server = TestServer.start()) {
            for (String script : scripts) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.uri(script))
                        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).as(script).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Encoding")).as(script).contains("gzip");
                total += r.body().length;
            }
        }
        System.out.printf("dashboard JavaScript: %d files, %,d bytes gzipped (budget %,d)%n", scripts.size(), total,
                BUDGET_BYTES);
        assertThat(total).isLessThanOrEqualTo(BUDGET_BYTES);
    }
}
