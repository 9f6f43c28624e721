package io.sightline.stats;


import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sightline.stats.QueryError.Reason.INVALID_VALUE;
import static io.sightline.stats.QueryError.Reason.MISSING_PARAMETER;
import static io.sightline.stats.QueryError.Reason.OUT_OF_RANGE;
import static io.sightline.stats.QueryError.Reason.UNKNOWN_PARAMETER;

/**
 * A funnel question: who, among the events {@code stats} selects, did {@code steps} in order, each no later than
 * {@code window} after their first step. {@code count} says whether a "who" is a visitor or a session.
 */
public record FunnelQuery(StatsQuery stats, List<FunnelStep> steps, Duration window, Count count) {
    public static final int MIN_STEPS = 2;
    public static final int MAX_STEPS = 8;
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(30);
    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    /** The parameters of the funnel endpoint besides the common ones of {@link StatsQueryParser}. */
    static final Set<String> PARAMS = Set.of("steps", "window", "count");

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,7})([smhd])");

    /** What is counted at each step. */
    public enum Count {
        VISITORS, SESSIONS;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public FunnelQuery {
        steps = List.copyOf(steps);
    }

    /** The funnel parameters of a request, over the common ones; every mistake a {@link QueryError} naming it. */
    public static FunnelQuery parse(StatsQuery stats, Map<String, List<String>> params) {
        if (params.containsKey("event_type")) {
            throw new QueryError(UNKNOWN_PARAMETER,
                    "a funnel takes no event_type: its steps name the events", "event_type");
        }
        return new FunnelQuery(stats, steps(StatsQueryParser.single(params, "steps")),
                window(StatsQueryParser.single(params, "window")), count(StatsQueryParser.single(params, "count")));
    }

    static List<FunnelStep> steps(String text) {
        if (text == null || text.isBlank()) {
            throw new QueryError(MISSING_PARAMETER,
                    "steps is required: " + MIN_STEPS + " to " + MAX_STEPS + " comma-separated steps", "steps");
        }
        String[] parts = text.split(",", -1);
        if (parts.length < MIN_STEPS || parts.length > MAX_STEPS) {
            throw new QueryError(OUT_OF_RANGE,
                    "a funnel has " + MIN_STEPS + " to " + MAX_STEPS + " steps, not " + parts.length, "steps");
        }
        List<FunnelStep> steps = new ArrayList<>();
        for (String part : parts) {
            steps.add(FunnelStep.parse(part));
        }
        return steps;
    }

    /** An ISO-8601 duration ({@code PT1H}) or a number and a unit ({@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}). */
    static Duration window(String text) {
        if (text == null) {
            return DEFAULT_WINDOW;
        }
        Duration window;
        Matcher m = SHORT_DURATION.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            window = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                window = Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new QueryError(INVALID_VALUE,
                        "window is an ISO-8601 duration (PT1H) or a number with s, m, h or d (30m, 1h, 7d)", "window");
            }
        }
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new QueryError(OUT_OF_RANGE, "window must be from 1 second to 30 days", "window");
        }
        return window;
    }

    static Count count(String text) {
        if (text == null) {
            return Count.VISITORS;
        }
        return switch (text) {
            case "visitors" -> Count.VISITORS;
            case "sessions" -> Count.SESSIONS;
            default -> throw new QueryError(INVALID_VALUE, "count must be visitors or sessions", "count");
        };
    }
}
