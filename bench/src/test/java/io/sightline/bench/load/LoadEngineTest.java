package io.sightline.bench.load;

import io.sightline.bench.hello.HelloServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

class LoadEngineTest {
    private static HelloServer hello;

    @BeforeAll
    static void startHelloServer() throws InterruptedException {
        hello = HelloServer.start(0);
        // A cold JIT would make the first measured runs lag behind a fixed rate, which then shows as a catch-up burst.
        engine(hello.port(), "/hello").run(LoadPlan.closedLoop(8, Duration.ZERO, Duration.ofMillis(500)));
    }

    @AfterAll
    static void stopHelloServer() {
        hello.close();
    }

    @Test
    void closed_loop_completes_requests_with_only_2xx_and_records_a_latency_for_every_response() throws Exception {
        LoadReport report = engine(hello.port(), "/hello")
                .run(LoadPlan.closedLoop(8, Duration.ofMillis(500), Duration.ofSeconds(2)));

        assertThat(report.completed()).isPositive();
        assertThat(report.statuses().success()).isEqualTo(report.completed());
        assertThat(report.connectionErrors()).isZero();
        assertThat(report.statuses().total()).isEqualTo(report.latency().count());
        assertThat(report.generatorCpu()).isPositive();
    }

    @Test
    void fixed_rate_offers_the_target_rate_within_ten_percent() throws Exception {
        LoadReport report = engine(hello.port(), "/hello")
                .run(LoadPlan.fixedRate(2_000, 8, Duration.ofMillis(500), Duration.ofSeconds(2)));

        assertThat(report.requestsPerSecond()).isCloseTo(2_000, withinPercentage(10));
        assertThat(report.fellBehind()).isFalse();
        assertThat(report.statuses().success()).isEqualTo(report.completed());
        assertThat(report.connectionErrors()).isZero();
    }

    @Test
    void counts_503_and_other_errors_apart_and_reopens_connections_the_server_closes() throws Exception {
        String[] responses = {
                "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"ok\":true}",
                "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 500 Server Error\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"};
        try (ScriptedServer server = ScriptedServer.start(n -> responses[n % responses.length])) {
            LoadReport report = engine(server.port(), "/track")
                    .run(LoadPlan.closedLoop(2, Duration.ofMillis(200), Duration.ofMillis(800)));

            StatusCounts statuses = report.statuses();
            assertThat(statuses.success()).isPositive();
            assertThat(statuses.unavailable()).isPositive();
            assertThat(statuses.clientErrors()).isPositive();
            assertThat(statuses.otherServerErrors()).isPositive();
            assertThat(statuses.total()).isEqualTo(report.latency().count());
            assertThat(report.connectionsOpened()).isPositive();
            assertThat(report.connectionErrors()).isZero();
        }
    }

    @Test
    void stops_the_run_and_says_so_when_the_server_answers_chunked() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        try (ScriptedServer server = ScriptedServer.start(n -> chunked)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> engine(server.port(), "/track")
                    .run(LoadPlan.closedLoop(2, Duration.ZERO, Duration.ofSeconds(30))))
                    .isInstanceOf(HttpProtocolException.class)
                    .hasMessageContaining("chunked");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void counts_connection_errors_when_nothing_listens_and_still_stops_on_time() throws Exception {
        int closedPort;
        try (ScriptedServer server = ScriptedServer.start(n -> "")) {
            closedPort = server.port();
        }
        LoadReport report = engine(closedPort, "/track").run(LoadPlan.closedLoop(2, Duration.ZERO, Duration.ofMillis(300)));

        assertThat(report.connectionErrors()).isPositive();
        assertThat(report.completed()).isZero();
    }

    private static LoadEngine engine(int port, String path) {
        LoadTarget target = LoadTarget.loopback(port);
        return new LoadEngine(target, new UuidRequestSource(target, RequestTemplate.postJson(path, Map.of(), LoadMain.EVENT)));
    }
}
