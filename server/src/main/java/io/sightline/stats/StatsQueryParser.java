package io.sightline.stats;

import io.sightline.event.EventType;
import io.sightline.event.StorableText;
import io.sightline.store.Dimension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.sightline.stats.QueryError.Reason.INVALID_CHARACTER;
import static io.sightline.stats.QueryError.Reason.INVALID_FILTER;
import static io.sightline.stats.QueryError.Reason.INVALID_RANGE;
import static io.sightline.stats.QueryError.Reason.INVALID_VALUE;
import static io.sightline.stats.QueryError.Reason.OUT_OF_RANGE;
import static io.sightline.stats.QueryError.Reason.RANGE_TOO_LONG;
import static io.sightline.stats.QueryError.Reason.REPEATED_PARAMETER;
import static io.sightline.stats.QueryError.Reason.TOO_MANY_FILTERS;
import static io.sightline.stats.QueryError.Reason.TOO_MANY_VALUES;
import static io.sightline.stats.QueryError.Reason.UNKNOWN_DIMENSION;
import static io.sightline.stats.QueryError.Reason.UNKNOWN_EVENT_TYPE;
import static io.sightline.stats.QueryError.Reason.UNKNOWN_OPERATOR;
import static io.sightline.stats.QueryError.Reason.UNKNOWN_PARAMETER;
import static io.sightline.stats.QueryError.Reason.VALUE_TOO_LONG;

/**
 * Parses the query parameters every stats endpoint shares into a {@link StatsQuery}; every mistake is a
 * {@link QueryError} naming the parameter.
 *
 * <ul>
 *   <li>{@code from}, {@code to}: a date ({@code 2026-11-01}, read in {@code tz}; {@code to} is inclusive, so
 *   {@code from=2026-11-01&to=2026-11-30} is all of November) or an ISO instant with offset
 *   ({@code 2026-11-01T10:00:00Z}; {@code to} is then exclusive). Default: the last 30 days including today.
 *   At most {@value #MAX_RANGE_DAYS} days.</li>
 *   <li>{@code tz}: an IANA zone name such as {@code Europe/Berlin} or {@code UTC} (no numeric offsets); default the
 *   app's {@code time_zone}.</li>
 *   <li>{@code event_type}: one or more event types, comma-separated or repeated; default all.</li>
 *   <li>{@code filter}: {@code <dimension>:<operator>:<value>}, repeatable, all must hold. Dimensions are
 *   {@link Dimension}'s wire names; operators {@code eq}, {@code neq}, {@code in} (values comma-separated, so a
 *   value of an {@code in} list cannot contain a comma). The value is everything after the second colon and may
 *   itself contain colons; an empty value means "not set". Example:
 *   {@code filter=country:eq:DE&filter=os:in:iOS,Android&filter=browser:neq:Safari}. At most
 *   {@value #MAX_FILTERS} filters, {@value #MAX_VALUES} values each, {@value #MAX_VALUE_LENGTH} characters a
 *   value.</li>
 * </ul>
 * Any other parameter, unless the endpoint declares it, is a {@link QueryError} naming it.
 */
public final class StatsQueryParser {
    public static final int MAX_RANGE_DAYS = 1096;
    public static final int MAX_FILTERS = 10;
    public static final int MAX_VALUES = 100;
    public static final int MAX_VALUE_LENGTH = 200;
    private static final int DEFAULT_DAYS = 30;
    private static final Set<String> RANGE_PARAMS = Set.of("from", "to", "tz");
    private static final Set<String> COMMON_PARAMS = Set.of("event_type", "filter");

    private final Clock clock;

    public StatsQueryParser(Clock clock) {
        this.clock = clock;
    }

    /** A query over a date range: {@code from}, {@code to}, {@code tz} plus the common parameters. */
    public StatsQuery parse(long appId, ZoneId appZone, Map<String, List<String>> params, Set<String> endpointParams) {
        rejectUnknown(params, endpointParams, true);
        rejectUnstorable(params);
        ZoneId zone = zone(single(params, "tz"), appZone);
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        String fromText = single(params, "from");
        String toText = single(params, "to");
        Instant to = toText == null ? today.plusDays(1).atStartOfDay(zone).toInstant() : instant(toText, zone, true, "to");
        Instant from = fromText == null
                ? (toText == null ? today.minusDays(DEFAULT_DAYS - 1L).atStartOfDay(zone).toInstant()
                : to.minus(Duration.ofDays(DEFAULT_DAYS)))
                : instant(fromText, zone, false, "from");
        if (!from.isBefore(to)) {
            throw new QueryError(INVALID_RANGE, "from must be before to", "from");
        }
        if (Duration.between(from, to).compareTo(Duration.ofDays(MAX_RANGE_DAYS)) > 0) {
            throw new QueryError(RANGE_TOO_LONG, "the range may span at most " + MAX_RANGE_DAYS + " days", "from");
        }
        return new StatsQuery(appId, from, to, zone, eventTypes(params), filters(params));
    }

    /**
     * A query without a date range (the endpoint picks its own, e.g. realtime): {@code from}, {@code to} and
     * {@code tz} are unknown parameters here. The range of the result is a placeholder ending now.
     */
    public StatsQuery parseWithoutRange(long appId, ZoneId appZone, Map<String, List<String>> params,
                                        Set<String> endpointParams) {
        rejectUnknown(params, endpointParams, false);
        rejectUnstorable(params);
        Instant now = clock.instant();
        return new StatsQuery(appId, now.minus(Duration.ofMinutes(30)), now, appZone, eventTypes(params), filters(params));
    }

    /** The single value of an endpoint's own parameter, or null; repeating it is a {@link QueryError}. */
    public static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new QueryError(REPEATED_PARAMETER, name + " may be given only once", name);
        }
        return values.get(0);
    }

    /** An endpoint's whole-number parameter within {@code [min, max]}, or {@code fallback} when absent. */
    public static int integer(Map<String, List<String>> params, String name, int min, int max, int fallback) {
        String text = single(params, name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new QueryError(OUT_OF_RANGE, name + " must be a whole number from " + min + " to " + max, name);
    }

    private static void rejectUnknown(Map<String, List<String>> params, Set<String> endpointParams, boolean range) {
        for (String name : params.keySet()) {
            boolean known = COMMON_PARAMS.contains(name) || endpointParams.contains(name)
                    || (range && RANGE_PARAMS.contains(name));
            if (!known) {
                Set<String> allowed = new java.util.TreeSet<>(COMMON_PARAMS);
                allowed.addAll(endpointParams);
                if (range) {
                    allowed.addAll(RANGE_PARAMS);
                }
                throw new QueryError(UNKNOWN_PARAMETER,
                        "unknown parameter; allowed: " + String.join(", ", allowed), excerpt(name));
            }
        }
    }

    /**
     * Refuses a NUL or an unpaired surrogate in any value, naming its parameter. PostgreSQL cannot take either in a
     * text parameter (a 500 otherwise), and {@link String#trim()} would silently cut a trailing NUL off an event type.
     * Checked before any parameter is read, so every endpoint's own parameters are covered too.
     */
    private static void rejectUnstorable(Map<String, List<String>> params) {
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            for (String value : param.getValue()) {
                if (!StorableText.isStorable(value)) {
                    throw new QueryError(INVALID_CHARACTER,
                            param.getKey() + " must not contain U+0000 or unpaired UTF-16 surrogates", param.getKey());
                }
            }
        }
    }

    private static ZoneId zone(String text, ZoneId appZone) {
        if (text == null) {
            return appZone;
        }
        // Only IANA names: PostgreSQL reads a numeric zone such as '+02:00' or 'UTC+2' with the POSIX sign
        // (west positive), so it would bucket on the wrong side of UTC.
        if (!ZoneId.getAvailableZoneIds().contains(text)) {
            throw new QueryError(INVALID_VALUE, "tz must be an IANA zone such as Europe/Berlin or UTC", "tz");
        }
        return ZoneId.of(text);
    }

    private static Instant instant(String text, ZoneId zone, boolean inclusiveDate, String field) {
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (inclusiveDate ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new QueryError(INVALID_VALUE,
                    field + " must be a date (2026-11-01) or an instant with offset (2026-11-01T10:00:00Z)", field);
        }
    }

    private static List<String> eventTypes(Map<String, List<String>> params) {
        Set<String> types = new LinkedHashSet<>();
        for (String part : params.getOrDefault("event_type", List.of())) {
            for (String type : part.split(",", -1)) {
                if (EventType.fromWire(type.trim()).isEmpty()) {
                    throw new QueryError(UNKNOWN_EVENT_TYPE, "unknown event type \"" + excerpt(type)
                            + "\"; known: " + Arrays.stream(EventType.values()).map(EventType::wireName)
                            .collect(Collectors.joining(", ")), "event_type");
                }
                types.add(type.trim());
            }
        }
        return List.copyOf(types);
    }

    private static List<Filter> filters(Map<String, List<String>> params) {
        List<String> raw = params.getOrDefault("filter", List.of());
        if (raw.size() > MAX_FILTERS) {
            throw new QueryError(TOO_MANY_FILTERS, "at most " + MAX_FILTERS + " filters", "filter");
        }
        List<Filter> filters = new ArrayList<>();
        for (String text : raw) {
            String[] parts = text.split(":", 3);
            if (parts.length < 3) {
                throw new QueryError(INVALID_FILTER,
                        "a filter is <dimension>:<eq|neq|in>:<value>, e.g. country:eq:DE", "filter");
            }
            Dimension dimension = Dimension.byName(parts[0]).orElseThrow(() -> new QueryError(UNKNOWN_DIMENSION,
                    "unknown dimension \"" + excerpt(parts[0]) + "\"; known: " + dimensionNames(), "filter"));
            FilterOperator operator = FilterOperator.byName(parts[1]).orElseThrow(() -> new QueryError(UNKNOWN_OPERATOR,
                    "unknown filter operator \"" + excerpt(parts[1]) + "\"; known: eq, neq, in", "filter"));
            List<String> values = operator == FilterOperator.IN ? List.of(parts[2].split(",", -1)) : List.of(parts[2]);
            if (values.size() > MAX_VALUES) {
                throw new QueryError(TOO_MANY_VALUES,
                        "a filter may list at most " + MAX_VALUES + " values", "filter");
            }
            for (String value : values) {
                if (value.length() > MAX_VALUE_LENGTH) {
                    throw new QueryError(VALUE_TOO_LONG,
                            "a filter value may have at most " + MAX_VALUE_LENGTH + " characters", "filter");
                }
            }
            filters.add(new Filter(dimension, operator, values));
        }
        return filters;
    }

    static String dimensionNames() {
        return Arrays.stream(Dimension.values()).map(Dimension::wireName).collect(Collectors.joining(", "));
    }

    private static String excerpt(String s) {
        return s.length() > 64 ? s.substring(0, 64) : s;
    }
}
