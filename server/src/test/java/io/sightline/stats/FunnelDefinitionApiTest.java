package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The funnel's definition through the real server: any step-1 event may start the chain that counts. */
class FunnelDefinitionApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Instant FROM = Instant.parse("2026-12-04T06:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-04T07:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(30);
    private static final String[] KINDS = {"qr_scan", "placement", "interaction", "conversion", "custom:a", "custom:b"};
    private static TestServer server;
    /** The random visitors' events: visitor → (kind, time). */
    private static final Map<String, List<Object[]>> RANDOM = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("SIGHTLINE_DEVICE_DETECTION", "false"), Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> events = new ArrayList<>();
        events.add(event("r1", "qr_scan", Instant.parse("2026-12-01T10:00:00Z")));
        events.add(event("r1", "qr_scan", Instant.parse("2026-12-02T10:00:00Z")));
        events.add(event("r1", "placement", Instant.parse("2026-12-02T10:05:00Z")));
        send(events);

        // 300 visitors, 1 to 16 events each, on a 1-minute grid from 10 minutes before the 1-hour range to 10
        // minutes after it, so that many share an instant and some fall outside the range.
        Random random = new Random(13);
        events.clear();
        for (int v = 0; v < 300; v++) {
            String visitor = "o" + v;
            List<Object[]> own = new ArrayList<>();
            int count = 1 + random.nextInt(16);
            for (int e = 0; e < count; e++) {
                String kind = KINDS[random.nextInt(KINDS.length)];
                Instant at = FROM.minus(Duration.ofMinutes(10)).plus(Duration.ofMinutes(random.nextInt(80)));
                own.add(new Object[] {kind, at});
                events.add(event(visitor, kind, at));
            }
            RANDOM.put(visitor, own);
        }
        for (int i = 0; i < events.size(); i += 500) {
            send(events.subList(i, Math.min(events.size(), i + 500)));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_visitor_who_scanned_once_without_going_on_counts_when_a_later_scan_leads_on_whatever_the_range() throws Exception {
        String funnel = "/api/v1/apps/1/stats/funnel?steps=qr_scan,placement&window=1h&tz=UTC&to=2026-12-03";
        JsonNode narrow = get(funnel + "&from=2026-12-02").get("steps");
        JsonNode wide = get(funnel + "&from=2026-12-01").get("steps");
        assertThat(counts(narrow)).containsExactly(1L, 1L);
        assertThat(counts(wide)).containsExactly(1L, 1L);
        assertThat(wide.get(1).get("median_seconds_from_previous").asDouble()).isEqualTo(300.0);
    }

    @Test
    void distinct_steps_agree_with_every_chain_enumerated() throws Exception {
        assertAgreesWithTheOracle("qr_scan,placement,interaction,conversion");
    }

    @Test
    void repeated_and_overlapping_steps_agree_with_every_chain_enumerated() throws Exception {
        // qr_scan is steps 1 and 3; a custom:a event is step 2 (any custom) and step 4.
        assertAgreesWithTheOracle("qr_scan,custom,qr_scan,custom:a");
    }

    private static void assertAgreesWithTheOracle(String steps) throws Exception {
        String[] names = steps.split(",");
        long[] expected = new long[names.length];
        for (List<Object[]> own : RANDOM.values()) {
            List<FunnelOracle.Event> events = new ArrayList<>();
            for (Object[] e : own) {
                events.add(new FunnelOracle.Event(micros((Instant) e[1]), mask((String) e[0], names)));
            }
            int deepest = FunnelOracle.deepest(events, names.length, WINDOW.toSeconds() * 1_000_000L, micros(FROM),
                    micros(TO));
            for (int k = 0; k < deepest; k++) {
                expected[k]++;
            }
        }
        JsonNode answer = get("/api/v1/apps/1/stats/funnel?steps=" + steps + "&window=30m&from=" + FROM + "&to=" + TO);
        List<Long> want = new ArrayList<>();
        for (long e : expected) {
            want.add(e);
        }
        assertThat(counts(answer.get("steps"))).as(steps).isEqualTo(want);
        assertThat(expected[names.length - 1]).isPositive();
    }

    /** Which steps an event of {@code kind} is: a type matches itself and {@code custom} every custom event. */
    private static int mask(String kind, String[] steps) {
        int mask = 0;
        for (int k = 0; k < steps.length; k++) {
            if (steps[k].equals(kind) || (steps[k].equals("custom") && kind.startsWith("custom:"))) {
                mask |= 1 << k;
            }
        }
        return mask;
    }

    private static String event(String visitor, String kind, Instant at) {
        String type = kind.startsWith("custom:") ? "custom" : kind;
        String properties = switch (type) {
            case "qr_scan" -> "{\"qr_code_id\":\"poster\"}";
            case "placement" -> "{\"object_id\":\"chair\"}";
            case "interaction" -> "{\"object_id\":\"chair\",\"kind\":\"tap\"}";
            case "conversion" -> "{\"cta_id\":\"buy\"}";
            default -> "{}";
        };
        String name = type.equals("custom") ? ",\"name\":\"" + kind.substring("custom:".length()) + "\"" : "";
        return "{\"type\":\"" + type + "\"" + name + ",\"visitor_id\":\"" + visitor + "\",\"session_id\":\"" + visitor
                + "-s\",\"occurred_at\":\"" + at + "\",\"properties\":" + properties + "}";
    }

    private static void send(List<String> events) {
        HttpResponse<String> stored = server.ingest("/api/v1/analytics/batch",
                "{\"events\":[" + String.join(",", events) + "]}");
        assertThat(stored.body()).contains("\"accepted\":" + events.size());
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    private static List<Long> counts(JsonNode steps) {
        List<Long> counts = new ArrayList<>();
        steps.forEach(step -> counts.add(step.get("count").asLong()));
        return counts;
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = server.get(path, Map.of("Authorization", "Bearer " + server.adminToken()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
