package io.sightline.store;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The breakdown dimensions of events: what the daily rollups keep one row per value of, and what the stats API may
 * filter and break down by. Each has the name used in URLs and in the rollup rows' {@code dimension} column, and the
 * SQL expression over {@code analytics_events} that yields its value. The expressions are constants of this enum,
 * never built from input, so they may be placed in SQL as they are.
 */
public enum Dimension {
    EVENT_NAME("event_name", "event_name"),
    COUNTRY("country", "country"),
    REGION("region", "region"),
    CITY("city", "city"),
    OS("os", "os"),
    DEVICE_TYPE("device_type", "device_type"),
    DEVICE_MODEL("device_model", "device_model"),
    BROWSER("browser", "browser"),
    APP_VERSION("app_version", "app_version"),
    QR_CODE_ID("qr_code_id", "properties->>'qr_code_id'"),
    CAMPAIGN("campaign", "properties->>'campaign'"),
    OBJECT_ID("object_id", "properties->>'object_id'"),
    INTERACTION_KIND("interaction_kind", "properties->>'kind'"),
    CTA_ID("cta_id", "properties->>'cta_id'"),
    UTM_SOURCE("utm_source", "utm_source"),
    UTM_MEDIUM("utm_medium", "utm_medium"),
    UTM_CAMPAIGN("utm_campaign", "utm_campaign"),
    UTM_CONTENT("utm_content", "utm_content"),
    UTM_TERM("utm_term", "utm_term"),
    // A view's dimensions count screen_view events only: other types' properties are their own, and no event stored
    // before the type existed has a value, which is what let V21 give the old rollup rows theirs without a re-roll.
    SCREEN_NAME("screen_name", "CASE WHEN event_type = 'screen_view' THEN properties->>'name' END"),
    PATH("path", "CASE WHEN event_type = 'screen_view' THEN properties->>'path' END"),
    /** The one definition of a referrer's domain (V21__views.sql), so rollups and raw reads cannot disagree. */
    REFERRER_DOMAIN("referrer_domain",
            "CASE WHEN event_type = 'screen_view' THEN sightline_referrer_domain(properties->>'referrer') END");

    private static final Map<String, Dimension> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Dimension::wireName, Function.identity()));

    private final String wireName;
    private final String sql;

    Dimension(String wireName, String sql) {
        this.wireName = wireName;
        this.sql = sql;
    }

    /** The name in URLs, JSON and the rollup rows' {@code dimension} column. */
    public String wireName() {
        return wireName;
    }

    /** The value's SQL expression over a row of {@code analytics_events} (text, NULL when not set). */
    public String sql() {
        return sql;
    }

    public static Optional<Dimension> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
