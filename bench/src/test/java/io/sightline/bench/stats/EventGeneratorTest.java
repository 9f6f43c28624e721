package io.sightline.bench.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.event.EventValidator;
import io.sightline.event.Validation;
import io.sightline.event.ValidationLimits;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventGeneratorTest {
    private static final Catalog CATALOG = Catalog.standard();
    private static final Instant END = Instant.parse("2026-11-24T16:00:00Z");
    private static final List<String> FUNNEL = List.of("qr_scan", "placement", "interaction", "screenshot", "conversion");

    private static List<SyntheticEvent> generate(long seed, long events, int days) {
        List<SyntheticEvent> out = new ArrayList<>();
        new EventGenerator(CATALOG, 1, seed, events, days, END).generate(out::add);
        return out;
    }

    private static String digest(List<SyntheticEvent> events) throws Exception {
        CopyChunk chunk = new CopyChunk();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (SyntheticEvent e : events) {
            chunk.add(e);
            if (chunk.rows() == 1_000) {
                sha.update(chunk.take());
            }
        }
        sha.update(chunk.take());
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void the_same_seed_gives_the_same_rows_and_another_seed_other_rows() throws Exception {
        String first = digest(generate(7, 20_000, 30));
        assertThat(digest(generate(7, 20_000, 30))).isEqualTo(first);
        assertThat(digest(generate(8, 20_000, 30))).isNotEqualTo(first);
    }

    @Test
    void emits_exactly_the_requested_events_inside_the_window_with_unique_ids() {
        List<SyntheticEvent> events = generate(1, 50_003, 365);
        assertThat(events).hasSize(50_003);
        long start = END.minus(Duration.ofDays(365)).toEpochMilli();
        Set<UUID> ids = new HashSet<>();
        for (SyntheticEvent e : events) {
            assertThat(e.occurredAtMs()).isBetween(start, END.toEpochMilli() - 1);
            assertThat(e.receivedAtMs()).isBetween(e.occurredAtMs(), END.toEpochMilli());
            assertThat(e.sessionId()).matches("[0-9a-f]{16}");
            assertThat(e.visitorId()).matches("[0-9a-f]{32}");
            assertThat(e.ipHash()).matches("[0-9a-f]{64}");
            ids.add(new UUID(e.idHigh(), e.idLow()));
        }
        assertThat(ids).hasSize(events.size());
    }

    @Test
    void traffic_grows_over_the_year_and_weekends_are_busier() {
        EventGenerator g = new EventGenerator(CATALOG, 1, 1, 1_000_000, 364, END);
        long[] budget = g.dailyBudgets();
        long firstQuarter = 0;
        long lastQuarter = 0;
        for (int d = 0; d < 91; d++) {
            firstQuarter += budget[d];
            lastQuarter += budget[budget.length - 1 - d];
        }
        assertThat(lastQuarter / (double) firstQuarter).isBetween(2.0, 3.5);
        assertThat(java.util.Arrays.stream(budget).sum()).isEqualTo(1_000_000);
        long weekend = 0;
        long weekdays = 0;
        for (int d = 0; d < budget.length; d++) {
            int weekday = END.minus(Duration.ofDays(budget.length - d)).plus(Duration.ofHours(12)).atOffset(ZoneOffset.UTC).getDayOfWeek().getValue();
            if (weekday >= 6) {
                weekend += budget[d];
            } else {
                weekdays += budget[d];
            }
        }
        assertThat(weekend / 2.0).isGreaterThan(weekdays / 5.0 * 1.2);
    }

    @Test
    void sessions_walk_the_funnel_in_order_and_fewer_reach_each_step() {
        Map<String, List<SyntheticEvent>> bySession = new LinkedHashMap<>();
        for (SyntheticEvent e : generate(3, 200_000, 90)) {
            bySession.computeIfAbsent(e.sessionId(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Integer> sessionsReaching = new HashMap<>();
        Map<String, Set<String>> visitorsReaching = new HashMap<>();
        for (List<SyntheticEvent> session : bySession.values()) {
            assertThat(session.get(0).type()).isEqualTo("qr_scan");
            int lastStep = 0;
            long lastTime = Long.MIN_VALUE;
            Set<String> reached = new HashSet<>();
            for (SyntheticEvent e : session) {
                assertThat(e.occurredAtMs()).isGreaterThanOrEqualTo(lastTime);
                lastTime = e.occurredAtMs();
                int step = FUNNEL.indexOf(e.type());
                if (step >= 0) {
                    assertThat(step).isGreaterThanOrEqualTo(lastStep);
                    lastStep = step;
                    reached.add(e.type());
                    visitorsReaching.computeIfAbsent(e.type(), k -> new HashSet<>()).add(e.visitorId());
                }
            }
            reached.forEach(t -> sessionsReaching.merge(t, 1, Integer::sum));
        }
        for (int i = 1; i < FUNNEL.size(); i++) {
            assertThat(sessionsReaching.get(FUNNEL.get(i))).as(FUNNEL.get(i))
                    .isLessThan(sessionsReaching.get(FUNNEL.get(i - 1)));
            assertThat(visitorsReaching.get(FUNNEL.get(i)).size()).as(FUNNEL.get(i))
                    .isLessThan(visitorsReaching.get(FUNNEL.get(i - 1)).size());
        }
        double conversionRate = sessionsReaching.get("conversion") / (double) bySession.size();
        assertThat(conversionRate).isBetween(0.02, 0.12);
    }

    @Test
    void places_codes_and_visits_are_skewed_with_long_tails() {
        List<SyntheticEvent> events = generate(4, 300_000, 120);
        Map<String, Integer> countries = new HashMap<>();
        Set<String> cities = new HashSet<>();
        Map<String, Integer> codes = new HashMap<>();
        Map<Long, Set<String>> sessionsOfVisitor = new HashMap<>();
        for (SyntheticEvent e : events) {
            countries.merge(e.visitor().country().code(), 1, Integer::sum);
            cities.add(e.visitor().city().name());
            if (e.type().equals("qr_scan")) {
                codes.merge(e.properties().substring(15, 22), 1, Integer::sum);
            }
            sessionsOfVisitor.computeIfAbsent(e.visitor().number(), k -> new HashSet<>()).add(e.sessionId());
        }
        assertThat(CATALOG.places().countries()).hasSize(60);
        assertThat(CATALOG.places().cityCount()).isBetween(1_400, 1_650);
        assertThat(countries).hasSizeGreaterThan(50);
        assertThat(countries.get("DE") / (double) events.size()).isBetween(0.12, 0.35);
        assertThat(cities).hasSizeGreaterThan(1_000);
        assertThat(codes).hasSizeGreaterThan(250);
        assertThat(codes.get("qr-0001")).isGreaterThan(5 * codes.get("qr-0100"));
        long once = sessionsOfVisitor.values().stream().filter(s -> s.size() == 1).count();
        long twice = sessionsOfVisitor.values().stream().filter(s -> s.size() == 2).count();
        long tenOrMore = sessionsOfVisitor.values().stream().filter(s -> s.size() >= 10).count();
        assertThat(once).isGreaterThan(twice);
        assertThat(twice).isGreaterThan(tenOrMore);
        assertThat(tenOrMore).isPositive();
    }

    @Test
    void every_event_passes_the_servers_validation_and_keeps_its_properties_as_the_server_stores_them() {
        ObjectMapper json = new ObjectMapper();
        EventValidator validator = new EventValidator(new ValidationLimits(Duration.ofDays(400), Duration.ofHours(1)),
                Clock.fixed(END, ZoneOffset.UTC));
        Set<String> types = new HashSet<>();
        for (SyntheticEvent e : generate(5, 20_000, 365)) {
            ObjectNode node = json.createObjectNode()
                    .put("event_id", new UUID(e.idHigh(), e.idLow()).toString())
                    .put("type", e.type())
                    .put("occurred_at", e.occurredAtMs())
                    .put("session_id", e.sessionId())
                    .put("visitor_id", e.visitorId());
            if (e.name() != null) {
                node.put("name", e.name());
            }
            if (e.visitor().userId() != null) {
                node.put("user_id", e.visitor().userId());
            }
            try {
                node.set("properties", json.readTree(e.properties()));
            } catch (Exception bad) {
                throw new AssertionError("not JSON: " + e.properties(), bad);
            }
            Validation v = validator.validate(node);
            assertThat(v).as(node.toString()).isInstanceOf(Validation.Valid.class);
            assertThat(((Validation.Valid) v).event().propertiesJson()).isEqualTo(e.properties());
            assertThat(new UUID(e.idHigh(), e.idLow()).version()).isEqualTo(4);
            types.add(e.type());
        }
        assertThat(types).containsExactlyInAnyOrder("qr_scan", "placement", "interaction", "screenshot", "conversion",
                "custom");
    }
}
