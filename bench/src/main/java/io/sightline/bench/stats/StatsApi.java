package io.sightline.bench.stats;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every path, query string and JSON shape of the server that the stats benchmark relies on, in one place: adjust
 * here when the routes change. Dates are calendar days in UTC, {@code to} inclusive.
 */
final class StatsApi {
    private StatsApi() {
    }

    /** One measured question: the API's path and query, its target p95 in ms (0: none), and the same question in SQL. */
    record Question(String label, String pathAndQuery, int targetP95Ms, RawQueries.Raw raw) {}

    static String backfillPath(long app) {
        return "/api/v1/apps/" + app + "/rollups/backfill";
    }

    static Map<String, Object> backfillBody(LocalDate from, LocalDate to) {
        return Map.of("from", from.toString(), "to", to.toString());
    }

    /** The backfill's id from the 202 answer. */
    static String backfillId(JsonNode accepted) {
        return accepted.path("id").asText();
    }

    static String backfillStatusPath(long app, String id) {
        return backfillPath(app) + "/" + id;
    }

    /** {state, days_done, days_total}: the states that end a backfill. */
    static final Set<String> BACKFILL_DONE = Set.of("done", "succeeded", "completed", "finished");
    static final Set<String> BACKFILL_FAILED = Set.of("failed", "cancelled", "error");

    static String backfillState(JsonNode status) {
        return status.path("state").asText("");
    }

    static String backfillProgress(JsonNode status) {
        return status.path("days_done").asLong() + "/" + status.path("days_total").asLong() + " days";
    }

    /** The event count of a summary answer's current period. */
    static long summaryEvents(JsonNode summary) {
        return summary.path("current").path("events").asLong(-1);
    }

    /** A funnel's later steps must follow its first within this many hours. */
    static final int FUNNEL_WINDOW_HOURS = 1;
    /**
     * The same funnel with another window: the server answers the 1-h funnel from daily funnel rollups (HyperLogLog
     * sketches, within about 2 %), this one by counting raw events exactly, so both paths are timed and checked.
     */
    static final int RAW_FUNNEL_WINDOW_HOURS = 2;

    static String apiTokensPath(long app) {
        return "/api/v1/apps/" + app + "/api-tokens";
    }

    static Map<String, Object> apiTokenBody(String label) {
        return Map.of("label", label);
    }

    /** The secret from the token-creation answer. */
    static String apiToken(JsonNode created) {
        return created.path("token").asText(null);
    }

    /** The questions of issue 4's benchmark, over the year and over the last 30 days ending {@code today}. */
    static List<Question> questions(long app, LocalDate today) {
        String base = "/api/v1/apps/" + app + "/stats/";
        String year = range(today.minusDays(364), today);
        String month = range(today.minusDays(29), today);
        return List.of(
                new Question("summary 365 d", base + "summary?" + year, 100, RawQueries.summary(app, today, 365)),
                new Question("timeseries day 365 d", base + "timeseries?interval=day&" + year, 100,
                        RawQueries.timeseries(app, today, 365)),
                new Question("breakdown country 365 d", base + "breakdown?by=country&" + year, 100,
                        RawQueries.breakdown(app, today, 365, "country")),
                new Question("breakdown city 365 d", base + "breakdown?by=city&" + year, 100,
                        RawQueries.breakdown(app, today, 365, "city")),
                new Question("summary 30 d", base + "summary?" + month, 0, RawQueries.summary(app, today, 30)),
                new Question("timeseries day 30 d", base + "timeseries?interval=day&" + month, 0,
                        RawQueries.timeseries(app, today, 30)),
                new Question("breakdown country 30 d", base + "breakdown?by=country&" + month, 0,
                        RawQueries.breakdown(app, today, 30, "country")),
                new Question("breakdown city 30 d", base + "breakdown?by=city&" + month, 0,
                        RawQueries.breakdown(app, today, 30, "city")),
                new Question("funnel 4 steps 30 d", base + "funnel?steps=qr_scan,placement,interaction,conversion"
                        + "&window=" + FUNNEL_WINDOW_HOURS + "h&" + month, 1000,
                        RawQueries.funnel(app, today, 30, FUNNEL_WINDOW_HOURS)),
                // Any window but the dashboard's default 1 h is counted from raw events, never from funnel rollups.
                new Question("funnel 4 steps 30 d raw", base + "funnel?steps=qr_scan,placement,interaction,conversion"
                        + "&window=" + RAW_FUNNEL_WINDOW_HOURS + "h&" + month, 1000,
                        RawQueries.funnel(app, today, 30, RAW_FUNNEL_WINDOW_HOURS)),
                new Question("realtime", base + "realtime", 50, RawQueries.realtime(app)));
    }

    private static String range(LocalDate from, LocalDate to) {
        return "from=" + from + "&to=" + to + "&tz=UTC";
    }
}
