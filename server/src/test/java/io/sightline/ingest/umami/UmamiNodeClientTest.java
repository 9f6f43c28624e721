package io.sightline.ingest.umami;

import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Umami's Node.js client, {@code @umami/node} 0.4.0 ({@code src/test/resources/umami/node/}, unchanged), run by the
 * machine's {@code node} against Sightline: a page view, a named event with data and an identify, each answered 200
 * and the two events stored.
 */
class UmamiNodeClientTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_umami_node_client_tracks_a_page_and_an_event_and_identifies() throws Exception {
        UmamiFixture app = UmamiFixture.app(server, "Node client");
        String script = """
                const { Umami } = require(process.argv[1]);
                const umami = new Umami({ websiteId: process.argv[2], hostUrl: process.argv[3] });
                (async () => {
                  const answers = [
                    await umami.track({ url: '/checkout', title: 'Checkout' }),
                    await umami.track('Order placed', { total: 49.9, currency: 'EUR' }),
                    await umami.identify({ plan: 'pro' }),
                  ];
                  for (const answer of answers) {
                    console.log(answer.status + ' ' + await answer.text());
                  }
                })().catch(e => { console.error(e); process.exit(1); });
                """;
        List<String> lines = node(script, client().toString(), app.website.toString(),
                "http://127.0.0.1:" + server.uri("/").getPort());

        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("200 {\"cache\":\""));
        List<UmamiFixture.Row> rows = app.rows();
        assertThat(rows).extracting(UmamiFixture.Row::type).containsExactlyInAnyOrder("screen_view", "custom");
        UmamiFixture.Row order = rows.stream().filter(r -> r.type().equals("custom")).findFirst().orElseThrow();
        assertThat(order.name()).isEqualTo("Order placed");
        assertThat(order.properties().get("total").asDouble()).isEqualTo(49.9);
        UmamiFixture.Row view = rows.stream().filter(r -> r.type().equals("screen_view")).findFirst().orElseThrow();
        assertThat(view.properties().get("path").asText()).isEqualTo("/checkout");
        assertThat(view.properties().get("title").asText()).isEqualTo("Checkout");
    }

    private static Path client() throws URISyntaxException {
        return Path.of(UmamiNodeClientTest.class.getResource("/umami/node/package.json").toURI()).getParent();
    }

    /** Runs {@code node -e script args...} and returns its output lines; a failure shows what node printed. */
    private static List<String> node(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("node", "-e", script, "--"));
        command.addAll(List.of(args));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("node did not finish within 60 s");
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(output).isZero();
        return output.lines().toList();
    }
}
