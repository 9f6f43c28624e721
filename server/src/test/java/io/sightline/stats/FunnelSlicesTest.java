package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.store.Database;
import io.sightline.testing.TestDatabase;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A funnel with more actors than one counter may hold is counted in slices of the actors, and answers exactly
 * what one counter answers: the same counts and the same medians. (On the 10M-event benchmark a 12-month funnel
 * over 1.5M visitors ran a 256 MB heap out of memory and answered 500.)
 */
class FunnelSlicesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] STEPS = {"qr_scan", "placement", "interaction", "conversion"};

    @Test
    void counting_in_slices_answers_exactly_what_one_counter_answers() throws Exception {
        try (TestServer server = TestServer.start()) {
            Instant start = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
            Random random = new Random(7);
            List<String> events = new ArrayList<>();
            for (int v = 0; v < 600; v++) {
                Instant t = start.plusSeconds(random.nextInt(2 * 86_400));
                int depth = 1 + random.nextInt(STEPS.length);
                for (int k = 0; k < depth; k++) {
                    t = t.plusSeconds(1 + random.nextInt(900));
                    events.add(event(STEPS[k], "v-" + v, t));
                }
            }
            for (int i = 0; i < events.size(); i += 400) {
                String batch = "{\"events\":[" + String.join(",", events.subList(i, Math.min(events.size(), i + 400))) + "]}";
                assertThat(server.ingest("/api/v1/analytics/batch", batch).statusCode()).isEqualTo(200);
            }
            FunnelQuery query = new FunnelQuery(new StatsQuery(1, start, Instant.now(), ZoneOffset.UTC, List.of(), List.of()),
                    FunnelQuery.steps(String.join(",", STEPS)), FunnelQuery.window("1h"), FunnelQuery.Count.VISITORS);

            ExecutorService readers = Executors.newFixedThreadPool(2);
            try (Database db = Database.open(server.jdbcUrl(), "postgres", TestDatabase.server().password(), 4)) {
                FunnelResult whole = new FunnelService(null, null, db.dataSource(), 30, readers, null, 1_000_000).run(query);
                // 600 visitors, at most 50 per counter: the first pass gives up and the count runs again in slices.
                FunnelResult sliced = new FunnelService(null, null, db.dataSource(), 30, readers, null, 50).run(query);

                assertThat(whole.steps().get(0).count()).isEqualTo(600);
                assertThat(sliced.steps()).isEqualTo(whole.steps());
                JsonNode api = JSON.readTree(server.get("/api/v1/apps/1/stats/funnel?steps=" + String.join(",", STEPS)
                        + "&window=1h&from=" + start + "&to=" + query.stats().to(), Map.of("Authorization",
                        "Bearer " + server.adminToken())).body());
                for (int k = 0; k < STEPS.length; k++) {
                    assertThat(sliced.steps().get(k).count()).as(STEPS[k])
                            .isEqualTo(api.get("steps").get(k).get("count").asLong());
                }
            } finally {
                readers.shutdownNow();
            }
        }
    }

    private static String event(String type, String visitor, Instant at) {
        String properties = switch (type) {
            case "qr_scan" -> "{\"qr_code_id\":\"poster\"}";
            case "placement" -> "{\"object_id\":\"chair\"}";
            case "interaction" -> "{\"object_id\":\"chair\",\"kind\":\"rotate\"}";
            default -> "{\"cta_id\":\"buy\"}";
        };
        return "{\"type\":\"" + type + "\",\"visitor_id\":\"" + visitor + "\",\"occurred_at\":\"" + at
                + "\",\"properties\":" + properties + "}";
    }
}
