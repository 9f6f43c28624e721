package io.sightline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the overview shows, read from the page's {@code data-value}s, against the stats API's answers: every card
 * and its change, the chart's table, a breakdown's rows, the funnel's steps. Raw numbers are compared, not text,
 * so the locale's formatting does not matter here.
 */
final class OverviewNumbers {
    static final List<String> COUNTED = List.of("events", "visitors", "sessions", "conversions", "conversion_rate");

    private OverviewNumbers() {
    }

    static void assertCards(Page page, JsonNode summary) {
        Locator cards = page.locator("[data-panel='summary']");
        assertThat(cards.getAttribute("data-state")).isEqualTo("ready");
        for (String metric : COUNTED) {
            Locator card = cards.locator("[data-metric='" + metric + "']");
            same(card.locator(".card-value").getAttribute("data-value"), summary.at("/current/" + metric), metric);
            JsonNode change = summary.at("/change/" + metric);
            Locator badge = card.locator(".change");
            // A rate's change against a period without visitors is no change (the page says "new"), as for counts.
            boolean none = metric.equals("conversion_rate") && summary.at("/previous/visitors").asLong() == 0;
            if (change.isNull() || change.isMissingNode() || none) {
                assertThat(badge.getAttribute("data-value")).as(metric + " change").isNull();
            } else {
                same(badge.getAttribute("data-value"), change, metric + " change");
            }
        }
        JsonNode values = summary.at("/current/conversion_value");
        Locator money = cards.locator("[data-metric='conversion_value'] li");
        assertThat(money.count()).as("currencies").isEqualTo(values.size());
        for (int i = 0; i < values.size(); i++) {
            String currency = values.get(i).get("currency").asText();
            Locator line = money.nth(i);
            assertThat(line.getAttribute("data-currency")).isEqualTo(currency);
            same(line.locator(".card-value").getAttribute("data-value"), values.get(i).get("value"), currency);
            double before = 0;
            for (JsonNode old : summary.at("/previous/conversion_value")) {
                if (old.get("currency").asText().equals(currency)) {
                    before = old.get("value").asDouble();
                }
            }
            String shownChange = line.locator(".change").getAttribute("data-value");
            if (before == 0) {
                assertThat(shownChange).as(currency + " change").isNull();
            } else {
                assertThat(Double.parseDouble(shownChange)).as(currency + " change")
                        .isCloseTo((values.get(i).get("value").asDouble() - before) / before, within(1e-9));
            }
        }
    }

    /** The table under the chart: one row per bucket, with its start and its three numbers. */
    static void assertChart(Page page, JsonNode timeseries) {
        assertThat(page.locator("[data-panel='timeseries']").getAttribute("data-state")).isEqualTo("ready");
        Locator rows = page.locator("[data-panel='timeseries'] .chart-table tbody tr");
        JsonNode buckets = timeseries.get("buckets");
        assertThat(rows.count()).as("buckets").isEqualTo(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            Locator row = rows.nth(i);
            assertThat(row.getAttribute("data-start")).isEqualTo(buckets.get(i).get("start").asText());
            List<String> shown = row.locator("td .num").all().stream().map(n -> n.getAttribute("data-value")).toList();
            assertThat(shown).as("bucket " + buckets.get(i).get("start")).containsExactly(
                    buckets.get(i).get("events").asText(), buckets.get(i).get("visitors").asText(),
                    buckets.get(i).get("sessions").asText());
        }
    }

    /** The rows of the breakdown tab now shown for {@code dim}: value, visitors and events, in the API's order. */
    static void assertBreakdown(Page page, String dim, JsonNode breakdown) {
        Locator panel = page.locator("[data-panel='breakdown-" + dim + "']");
        JsonNode values = breakdown.get("values");
        assertThat(panel.getAttribute("data-state")).as(dim).isEqualTo(values.isEmpty() ? "empty" : "ready");
        Locator rows = panel.locator(".bar-row");
        assertThat(rows.count()).as(dim + " rows").isEqualTo(values.size());
        for (int i = 0; i < values.size(); i++) {
            Locator row = rows.nth(i);
            JsonNode v = values.get(i);
            assertThat(row.getAttribute("data-dim-value")).as(dim + " row " + i).isEqualTo(v.get("value").asText());
            assertThat(row.locator(".visitors").getAttribute("data-value")).as(dim + " " + v.get("value"))
                    .isEqualTo(v.get("visitors").asText());
            assertThat(row.locator(".events").getAttribute("data-value")).as(dim + " " + v.get("value"))
                    .isEqualTo(v.get("events").asText());
        }
    }

    /** Per step: the count, the share of the first step, the drop-off from the step before and its median time. */
    static void assertFunnel(Page page, JsonNode funnel) {
        assertThat(page.locator("[data-panel='funnel']").getAttribute("data-state")).isEqualTo("ready");
        Locator steps = page.locator("[data-panel='funnel'] .funnel-step");
        JsonNode answered = funnel.get("steps");
        assertThat(steps.count()).isEqualTo(answered.size());
        for (int i = 0; i < answered.size(); i++) {
            Locator step = steps.nth(i);
            JsonNode s = answered.get(i);
            String name = s.get("step").asText();
            assertThat(step.getAttribute("data-step")).isEqualTo(name);
            assertThat(step.locator(".count").getAttribute("data-value")).as(name).isEqualTo(s.get("count").asText());
            same(step.locator(".of-first").getAttribute("data-value"), s.get("conversion_from_first"), name + " of first");
            if (i == 0) {
                continue;
            }
            JsonNode previous = s.get("conversion_from_previous");
            if (previous.isNull()) {
                assertThat(step.locator(".drop").count()).isZero();
            } else {
                assertThat(Double.parseDouble(step.locator(".drop").getAttribute("data-value"))).as(name + " drop-off")
                        .isCloseTo(1 - previous.asDouble(), within(1e-9));
            }
            JsonNode median = s.get("median_seconds_from_previous");
            if (median.isNull()) {
                assertThat(step.locator(".median").count()).as(name + " median").isZero();
            } else {
                same(step.locator(".median").getAttribute("data-value"), median, name + " median");
            }
        }
    }

    static void same(String shown, JsonNode answered, String what) {
        assertThat(shown).as(what + " shown").isNotNull();
        assertThat(Double.parseDouble(shown)).as(what).isCloseTo(answered.asDouble(), within(1e-9));
    }
}
