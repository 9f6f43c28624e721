package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL cannot take a NUL in a text parameter, so every stats and export parameter refuses one up front. */
class StatsParameterCharacterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ROUTES = Map.of(
            "summary", "/api/v1/apps/1/stats/summary?x=1",
            "breakdown", "/api/v1/apps/1/stats/breakdown?by=os",
            "timeseries", "/api/v1/apps/1/stats/timeseries?interval=day",
            "realtime", "/api/v1/apps/1/stats/realtime?x=1",
            "export", "/api/v1/apps/1/events/export?format=ndjson",
            "funnel", "/api/v1/apps/1/stats/funnel?steps=qr_scan,placement");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        String event = "{\"type\":\"qr_scan\",\"visitor_id\":\"v1\",\"properties\":{\"qr_code_id\":\"poster\"}}";
        assertThat(server.ingest("/api/v1/analytics/batch", "{\"events\":[" + event + "]}").body())
                .contains("\"accepted\":1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> nulInEveryParameter() {
        List<Arguments> cases = new ArrayList<>();
        for (String route : ROUTES.keySet()) {
            cases.add(Arguments.of(route, "filter=os:eq:a%00b", "filter"));
            cases.add(Arguments.of(route, "filter=campaign:in:a,b%00", "filter"));
            cases.add(Arguments.of(route, "event_type=qr_scan%00", "event_type"));
            if (!route.equals("realtime")) {
                cases.add(Arguments.of(route, "tz=UTC%00", "tz"));
                cases.add(Arguments.of(route, "from=2026-11-01%00", "from"));
                cases.add(Arguments.of(route, "to=2026-11-30%00", "to"));
            }
        }
        cases.add(Arguments.of("funnel", "steps=qr_scan,custom:a%00b", "steps"));
        cases.add(Arguments.of("funnel", "window=1h%00", "window"));
        cases.add(Arguments.of("funnel", "count=visitors%00", "count"));
        cases.add(Arguments.of("breakdown", "by=os%00", "by"));
        cases.add(Arguments.of("breakdown", "limit=10%00", "limit"));
        cases.add(Arguments.of("breakdown", "page=1%00", "page"));
        cases.add(Arguments.of("timeseries", "interval=day%00", "interval"));
        cases.add(Arguments.of("export", "format=csv%00", "format"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("nulInEveryParameter")
    void a_nul_in_any_stats_parameter_is_a_400_invalid_character_naming_the_parameter(String route, String param,
                                                                                       String field) throws Exception {
        String base = ROUTES.get(route);
        String name = param.substring(0, param.indexOf('='));
        // The route's own value of the same parameter gives way to the one under test.
        String path = base.contains("?" + name + "=") ? base.substring(0, base.indexOf('?') + 1) + param
                : base + "&" + param;
        path = path.replace("x=1&", "");
        HttpResponse<String> response = server.get(path, Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).as(path).isEqualTo("invalid_character");
        assertThat(error.get("field").asText()).as(path).isEqualTo(field);
    }
}
