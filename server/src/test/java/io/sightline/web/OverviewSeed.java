package io.sightline.web;

import io.sightline.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overview's test data, sent through the real ingest API: 160 visitors over the last six days (over a thousand
 * events, so that grouped numbers show) and 40 in the week before (so the last 7 days have a previous period to
 * compare with), spread over countries, cities, devices, browsers (by User-Agent), app versions, QR codes,
 * campaigns, objects, interaction kinds, CTAs and UTM fields. Each visitor goes some way down the AR funnel;
 * a quarter convert, with values in EUR or USD. Nothing lies in the last hour, so the realtime panel starts at zero.
 */
final class OverviewSeed {
    static final int VISITORS = 160;
    static final int EARLIER_VISITORS = 40;
    private static final String[] COUNTRIES = {"DE", "DE", "DE", "FR", "US", "GB", "NL", ""};
    private static final String[] CITIES = {"Berlin", "Munich", "Hamburg", "Paris", "Austin", "London", "Utrecht", ""};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
    };
    private static final int BATCH = 450;

    private OverviewSeed() {
    }

    /** Sends every event; {@code now} anchors the days (the server's backfill window must reach 13 days back). */
    static void send(TestServer server, Instant now) {
        List<List<String>> byAgent = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < VISITORS; i++) {
            visitor(byAgent.get(i % 3), "v-" + i, i, now.minus(i % 6, ChronoUnit.DAYS).minus(180 + i * 5L, ChronoUnit.MINUTES));
        }
        for (int i = 0; i < EARLIER_VISITORS; i++) {
            visitor(byAgent.get(i % 3), "early-" + i, i + 1, now.minus(8 + i % 5, ChronoUnit.DAYS).minus(i * 7L, ChronoUnit.MINUTES));
        }
        for (int agent = 0; agent < AGENTS.length; agent++) {
            List<String> events = byAgent.get(agent);
            for (int from = 0; from < events.size(); from += BATCH) {
                String body = "{\"events\":[" + String.join(",", events.subList(from, Math.min(events.size(), from + BATCH))) + "]}";
                HttpResponse<String> answer = server.post("/api/v1/analytics/batch", body, Map.of(
                        "Content-Type", "application/json", "X-Write-Key", server.writeKey(), "User-Agent", AGENTS[agent]));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).doesNotContain("\"index\"");
            }
        }
    }

    /** One live event, as a phone would send it now (no occurred_at: the time it arrives). */
    static String liveEvent(String visitor) {
        return "{\"type\":\"qr_scan\",\"visitor_id\":\"" + visitor + "\",\"session_id\":\"" + visitor + "-s\","
                + "\"properties\":{\"qr_code_id\":\"poster-live\"},\"context\":{\"location\":{\"country\":\"AT\"}}}";
    }

    private static void visitor(List<String> out, String id, int i, Instant start) {
        String country = COUNTRIES[i % COUNTRIES.length];
        String location = country.isEmpty() ? "" : "\"location\":{\"country\":\"" + country + "\",\"city\":\""
                + CITIES[i % CITIES.length] + "\"},";
        boolean android = i % 3 == 0;
        String context = "{" + location + "\"device\":{\"os\":\"" + (android ? "Android" : "iOS") + "\",\"model\":\""
                + (android ? "Pixel 8" : i % 2 == 0 ? "iPhone15,2" : "iPhone14,5") + "\",\"type\":\"phone\"},"
                + "\"app\":{\"version\":\"2." + (i % 4) + "\"},\"campaign\":{\"utm_source\":\""
                + new String[] {"instagram", "poster", "newsletter"}[i % 3] + "\",\"utm_medium\":\""
                + (i % 2 == 0 ? "social" : "print") + "\",\"utm_campaign\":\"" + (i % 5 == 0 ? "launch" : "spring-sale")
                + "\"}}";
        String session = id + "-s1";
        add(out, id, session, start, "qr_scan", "{\"qr_code_id\":\"poster-" + (i % 4) + "\",\"campaign\":\""
                + (i % 2 == 0 ? "spring" : "summer") + "\"}", context);
        if (i % 4 == 3) {
            return;
        }
        String object = i % 2 == 0 ? "armchair-oak" : "lamp-brass";
        add(out, id, session, start.plusSeconds(40 + i), "placement", "{\"object_id\":\"" + object + "\"}", context);
        // A visitor who comes back later is a second session.
        String later = i % 5 == 0 ? id + "-s2" : session;
        for (int s = 0; s < 3; s++) {
            add(out, id, later, start.plusSeconds((i % 5 == 0 ? 7200 : 60) + s * 20L), "screenshot",
                    "{\"object_id\":\"" + object + "\"}", context);
        }
        if (i % 3 == 2) {
            return;
        }
        for (int k = 0; k < 5; k++) {
            add(out, id, session, start.plusSeconds(100 + i * 2L + k), "interaction", "{\"object_id\":\"" + object
                    + "\",\"kind\":\"" + new String[] {"rotate", "tap", "scale"}[(i + k) % 3] + "\"}", context);
        }
        if (i % 2 == 0) {
            String currency = i % 4 == 0 ? "EUR" : "USD";
            add(out, id, session, start.plusSeconds(200 + i * 3L), "conversion", "{\"cta_id\":\""
                    + (i % 3 == 0 ? "buy-now" : "add-to-cart") + "\",\"value\":" + (19 + i % 50) + ".5,\"currency\":\""
                    + currency + "\"}", context);
        }
    }

    private static void add(List<String> out, String visitor, String session, Instant at, String type, String properties,
                            String context) {
        out.add("{\"type\":\"" + type + "\",\"visitor_id\":\"" + visitor + "\",\"session_id\":\"" + session
                + "\",\"occurred_at\":\"" + at + "\",\"properties\":" + properties + ",\"context\":" + context + "}");
    }
}
