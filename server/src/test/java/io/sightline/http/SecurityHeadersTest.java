package io.sightline.http;

import io.sightline.testing.RawHttp;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityHeadersTest {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
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
    void a_stats_answer_a_404_a_refusal_and_the_health_route_all_carry_the_security_headers() {
        assertSecure(server.admin("GET", "/api/v1/apps/1/stats/summary", null), 200);
        assertSecure(server.get("/no/such/route", Map.of()), 404);
        assertSecure(server.get("/api/v1/apps/1/stats/summary", Map.of()), 401);
        assertSecure(server.get("/health/live", Map.of()), 200);
    }

    @Test
    void jettys_own_refusals_carry_them_too() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(server.sightline().port(), "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(header(answer, "X-Frame-Options")).isEqualTo("DENY");
        assertThat(header(answer, "Content-Security-Policy")).isEqualTo(CSP);
    }

    private static String header(RawHttp.Answer answer, String name) {
        return answer.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static void assertSecure(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
        assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }
}
