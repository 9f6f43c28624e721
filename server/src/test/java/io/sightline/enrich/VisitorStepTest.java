package io.sightline.enrich;

import io.sightline.event.DerivedField;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import static io.sightline.enrich.Drafts.NOON;
import static io.sightline.enrich.Drafts.kept;
import static io.sightline.enrich.Drafts.request;
import static io.sightline.enrich.Drafts.withIds;
import static org.assertj.core.api.Assertions.assertThat;

class VisitorStepTest {
    private static final String IPHONE = "MyApp/2.3 (iPhone14,2; iOS 17.4; Scale/3.00)";

    private final VisitorStep step = new VisitorStep(new Sessions(Duration.ofMinutes(30), 10_000));

    private Draft run(String session, String visitor, Instant at, RequestFacts request) {
        return kept(step.apply(Draft.of(withIds(session, visitor, at)), request));
    }

    @Test
    void client_ids_win_and_nothing_is_derived() {
        Draft d = run("s-1", "v-1", NOON, request("203.0.113.7", IPHONE));
        assertThat(d.event().visitorId()).isEqualTo("v-1");
        assertThat(d.event().sessionId()).isEqualTo("s-1");
        assertThat(d.derived()).isEmpty();
    }

    @Test
    void derives_the_same_visitor_for_the_same_app_ip_and_user_agent_on_one_day() {
        Draft a = run(null, null, NOON, request("203.0.113.7", IPHONE));
        Draft b = run(null, null, NOON.plusSeconds(60), request("203.0.113.7", IPHONE));

        assertThat(a.event().visitorId()).hasSize(32).isEqualTo(b.event().visitorId());
        assertThat(a.derived()).contains(DerivedField.VISITOR_ID, DerivedField.SESSION_ID);
    }

    @Test
    void another_ip_user_agent_or_app_is_another_visitor() {
        String base = run(null, null, NOON, request("203.0.113.7", IPHONE)).event().visitorId();
        String otherIp = run(null, null, NOON, request("203.0.113.8", IPHONE)).event().visitorId();
        String otherAgent = run(null, null, NOON, request("203.0.113.7", IPHONE + " ")).event().visitorId();
        String otherApp = kept(step.apply(Draft.of(withIds(null, null, NOON)),
                new RequestFacts(8, "203.0.113.7", IPHONE, false, NOON, Drafts.SALTS, DeviceFacts.UNKNOWN, GeoMemo.NONE))).event().visitorId();

        assertThat(new String[] {otherIp, otherAgent, otherApp}).doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void the_visitor_id_is_not_a_plain_hash_of_the_address() {
        String visitor = run(null, null, NOON, request("203.0.113.7", IPHONE)).event().visitorId();
        String underAnotherSalt = new DailyKey(new byte[32]).visitorId(7, "203.0.113.7", IPHONE);
        assertThat(visitor).isNotEqualTo(underAnotherSalt).doesNotContain("203");
    }

    @Test
    void keeps_a_session_while_events_are_less_than_the_timeout_apart_and_starts_a_new_one_after() {
        RequestFacts r = request("203.0.113.7", IPHONE);
        String first = run(null, null, NOON, r).event().sessionId();
        String within = run(null, null, NOON.plus(Duration.ofMinutes(29)), r).event().sessionId();
        String stillWithin = run(null, null, NOON.plus(Duration.ofMinutes(58)), r).event().sessionId();
        String after = run(null, null, NOON.plus(Duration.ofMinutes(89)), r).event().sessionId();

        assertThat(within).isEqualTo(first);
        assertThat(stillWithin).as("the timeout counts from the last event").isEqualTo(first);
        assertThat(after).isNotEqualTo(first);
    }

    @Test
    void derives_a_session_for_a_visitor_the_client_named() {
        Draft a = run(null, "v-9", NOON, request("203.0.113.7", IPHONE));
        Draft b = run(null, "v-9", NOON.plusSeconds(10), request("198.51.100.1", "other"));
        assertThat(a.event().sessionId()).isEqualTo(b.event().sessionId());
        assertThat(a.derived()).containsExactly(DerivedField.SESSION_ID);
    }

    @Test
    void a_visit_that_crosses_midnight_stays_one_visitor_and_one_session() {
        Instant beforeMidnight = Instant.parse("2026-11-24T23:50:00Z");
        Instant afterMidnight = Instant.parse("2026-11-25T00:10:00Z");
        Salts monday = new Salts(LocalDate.of(2026, 11, 24), Drafts.TODAY, Optional.empty());
        DailyKey tuesdayKey = new DailyKey(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
            9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        Salts tuesday = new Salts(LocalDate.of(2026, 11, 25), tuesdayKey, Optional.of(Drafts.TODAY));

        Draft late = run(null, null, beforeMidnight, new RequestFacts(7, "203.0.113.7", IPHONE, false, beforeMidnight, monday, DeviceFacts.UNKNOWN, GeoMemo.NONE));
        Draft early = run(null, null, afterMidnight, new RequestFacts(7, "203.0.113.7", IPHONE, false, afterMidnight, tuesday, DeviceFacts.UNKNOWN, GeoMemo.NONE));
        Draft someoneNew = run(null, null, afterMidnight,
                new RequestFacts(7, "198.51.100.1", IPHONE, false, afterMidnight, tuesday, DeviceFacts.UNKNOWN, GeoMemo.NONE));

        assertThat(early.event().visitorId()).isEqualTo(late.event().visitorId());
        assertThat(early.event().sessionId()).isEqualTo(late.event().sessionId());
        assertThat(someoneNew.event().visitorId())
                .isEqualTo(tuesdayKey.visitorId(7, "198.51.100.1", IPHONE));
    }

    @Test
    void a_visitor_returning_on_another_day_after_the_session_ended_counts_again() {
        Instant monday = Instant.parse("2026-11-24T10:00:00Z");
        Instant tuesday = Instant.parse("2026-11-25T10:00:00Z");
        DailyKey tuesdayKey = new DailyKey(new byte[32 + 1]);
        Draft first = run(null, null, monday, new RequestFacts(7, "203.0.113.7", IPHONE, false, monday,
                new Salts(LocalDate.of(2026, 11, 24), Drafts.TODAY, Optional.empty()), DeviceFacts.UNKNOWN, GeoMemo.NONE));
        Draft second = run(null, null, tuesday, new RequestFacts(7, "203.0.113.7", IPHONE, false, tuesday,
                new Salts(LocalDate.of(2026, 11, 25), tuesdayKey, Optional.of(Drafts.TODAY)), DeviceFacts.UNKNOWN, GeoMemo.NONE));

        assertThat(second.event().visitorId()).isNotEqualTo(first.event().visitorId());
    }

    @Test
    void the_ip_hash_uses_the_days_salt_and_differs_between_days() {
        IpHashStep hash = new IpHashStep();
        byte[] today = kept(hash.apply(Draft.of(Drafts.event()), request("203.0.113.7", IPHONE))).ipHash();
        byte[] otherDay = kept(hash.apply(Draft.of(Drafts.event()), new RequestFacts(7, "203.0.113.7", IPHONE, false,
                NOON, new Salts(LocalDate.of(2026, 11, 25), Drafts.YESTERDAY, Optional.empty()), DeviceFacts.UNKNOWN, GeoMemo.NONE))).ipHash();

        assertThat(today).hasSize(32).isNotEqualTo(otherDay);
    }
}
