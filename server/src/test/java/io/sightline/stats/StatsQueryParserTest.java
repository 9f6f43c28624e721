package io.sightline.stats;

import io.sightline.error.Kind;
import io.sightline.store.Dimension;
import io.sightline.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsQueryParserTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final StatsQueryParser parser = new StatsQueryParser(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")));

    private StatsQuery parse(Map<String, List<String>> params) {
        return parser.parse(7, ZoneOffset.UTC, params, Set.of("interval"));
    }

    private static QueryError refusal(Runnable r) {
        try {
            r.run();
        } catch (QueryError e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void dates_are_whole_local_days_and_to_is_inclusive() {
        StatsQuery q = parse(Map.of("from", List.of("2026-03-01"), "to", List.of("2026-03-31"), "tz", List.of("Europe/Berlin")));
        assertThat(q.from()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
        assertThat(q.to()).isEqualTo(Instant.parse("2026-03-31T22:00:00Z")); // summer time from 29 March
        assertThat(q.zone()).isEqualTo(BERLIN);
    }

    @Test
    void instants_are_taken_as_given_and_to_is_exclusive() {
        StatsQuery q = parse(Map.of("from", List.of("2026-03-01T10:00:00Z"), "to", List.of("2026-03-01T12:00:00+01:00")));
        assertThat(q.from()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(q.to()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
    }

    @Test
    void defaults_to_the_last_30_days_including_today_in_the_apps_zone() {
        StatsQuery q = parser.parse(7, BERLIN, Map.of(), Set.of());
        assertThat(q.from()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
        assertThat(q.to()).isEqualTo(Instant.parse("2026-11-24T23:00:00Z"));
    }

    @Test
    void parses_eq_neq_and_in_filters_on_any_dimension() {
        StatsQuery q = parse(Map.of("filter", List.of("country:eq:DE", "os:in:iOS,Android", "browser:neq:Safari",
                "qr_code_id:eq:a:b"), "event_type", List.of("qr_scan,conversion")));
        assertThat(q.filters()).containsExactly(
                new Filter(Dimension.COUNTRY, FilterOperator.EQ, List.of("DE")),
                new Filter(Dimension.OS, FilterOperator.IN, List.of("iOS", "Android")),
                new Filter(Dimension.BROWSER, FilterOperator.NEQ, List.of("Safari")),
                new Filter(Dimension.QR_CODE_ID, FilterOperator.EQ, List.of("a:b")));
        assertThat(q.eventTypes()).containsExactly("qr_scan", "conversion");
    }

    @Test
    void unknown_dimension_is_refused_naming_it() {
        QueryError e = refusal(() -> parse(Map.of("filter", List.of("planet:eq:Mars"))));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.code()).isEqualTo("unknown_dimension");
        assertThat(e.getMessage()).contains("\"planet\"");
        assertThat(e.field()).isEqualTo("filter");
    }

    @Test
    void unknown_operator_parameter_and_event_type_are_refused_naming_them() {
        assertThat(refusal(() -> parse(Map.of("filter", List.of("country:like:D%")))).getMessage()).contains("\"like\"");
        assertThat(refusal(() -> parse(Map.of("colour", List.of("red")))).field()).isEqualTo("colour");
        assertThat(refusal(() -> parse(Map.of("event_type", List.of("pageview")))).getMessage()).contains("\"pageview\"");
        assertThat(refusal(() -> parse(Map.of("tz", List.of("Mars/Olympus")))).field()).isEqualTo("tz");
        assertThat(refusal(() -> parse(Map.of("tz", List.of("+02:00")))).field()).isEqualTo("tz");
        assertThat(refusal(() -> parse(Map.of("from", List.of("yesterday")))).field()).isEqualTo("from");
    }

    @Test
    void ranges_filters_and_values_are_bounded() {
        assertThat(refusal(() -> parse(Map.of("from", List.of("2020-01-01"), "to", List.of("2026-01-01")))).code())
                .isEqualTo("range_too_long");
        assertThat(refusal(() -> parse(Map.of("from", List.of("2026-02-01"), "to", List.of("2026-01-01")))).code())
                .isEqualTo("invalid_range");
        assertThat(refusal(() -> parse(Map.of("filter", java.util.Collections.nCopies(11, "country:eq:DE")))).code())
                .isEqualTo("too_many_filters");
        assertThat(refusal(() -> parse(Map.of("filter", List.of("country:in:" + "x,".repeat(100) + "y")))).code())
                .isEqualTo("too_many_values");
        assertThat(refusal(() -> parse(Map.of("filter", List.of("country:eq:" + "x".repeat(201))))).code())
                .isEqualTo("value_too_long");
    }

    @Test
    void the_previous_period_of_whole_days_is_as_many_whole_days_even_across_a_clock_change() {
        StatsQuery q = parse(Map.of("from", List.of("2026-03-30"), "to", List.of("2026-04-05"), "tz", List.of("Europe/Berlin")));
        StatsQuery previous = q.previousPeriod();
        assertThat(previous.from()).isEqualTo(Instant.parse("2026-03-22T23:00:00Z")); // 23 March, before the change
        assertThat(previous.to()).isEqualTo(q.from());
        StatsQuery hours = parse(Map.of("from", List.of("2026-03-30T10:00:00Z"), "to", List.of("2026-03-30T12:00:00Z")));
        assertThat(hours.previousPeriod().from()).isEqualTo(Instant.parse("2026-03-30T08:00:00Z"));
    }

    @Test
    void a_three_year_range_is_accepted() {
        assertThat(parse(Map.of("from", List.of("2023-11-25"), "to", List.of("2026-11-24"))).length().toDays())
                .isEqualTo(1096);
    }

    @Test
    void realtime_queries_take_no_range_parameters() {
        assertThatThrownBy(() -> parser.parseWithoutRange(7, ZoneOffset.UTC, Map.of("from", List.of("2026-01-01")), Set.of()))
                .isInstanceOf(QueryError.class).hasMessageContaining("unknown parameter");
    }
}
