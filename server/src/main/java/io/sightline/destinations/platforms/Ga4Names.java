package io.sightline.destinations.platforms;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * GA4's rules for event and parameter names, from "Event naming rules" (support.google.com/analytics/answer/13316687)
 * and the Measurement Protocol's reserved names (developers.google.com/analytics/devguides/collection/protocol/ga4/
 * reference): a name starts with a letter, holds only letters, digits and underscores, is at most 40 characters, is
 * not reserved, and does not start with a reserved prefix. GA4 drops what breaks them without an error, so they are
 * checked here: rule names at config time, derived names and property names at send time.
 */
final class Ga4Names {
    static final int MAX_NAME = 40;
    /** An event parameter's string value is cut by GA4 past 100 characters; cutting it here keeps it predictable. */
    static final int MAX_VALUE = 100;
    static final int MAX_PARAMS = 25;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");
    /** Reserved for web and app streams alike (the two lists of the naming-rules page and the protocol reference). */
    private static final Set<String> RESERVED_EVENTS = Set.of(
            "ad_activeview", "ad_click", "ad_exposure", "ad_impression", "ad_query", "ad_reward", "adunit_exposure",
            "app_background", "app_clear_data", "app_exception", "app_install", "app_remove", "app_store_refund",
            "app_store_subscription_cancel", "app_store_subscription_convert", "app_store_subscription_renew",
            "app_update", "app_upgrade", "click", "dynamic_link_app_open", "dynamic_link_app_update",
            "dynamic_link_first_open", "error", "file_download", "firebase_campaign",
            "firebase_in_app_message_action", "firebase_in_app_message_dismiss",
            "firebase_in_app_message_impression", "first_open", "first_visit", "form_start", "form_submit",
            "in_app_purchase", "notification_dismiss", "notification_foreground", "notification_open",
            "notification_receive", "os_update", "page_view", "screen_view", "scroll", "session_start",
            "user_engagement", "video_complete", "video_progress", "video_start", "view_search_results");
    private static final Set<String> RESERVED_PARAMS = Set.of(
            "engagement_time_msec", "gclid", "session_id", "session_number", "firebase_conversion");
    private static final List<String> RESERVED_PREFIXES = List.of("_", "firebase_", "ga_", "google_", "gtag.");

    private Ga4Names() {
    }

    /** Why GA4 would drop this event name, or null when it takes it. */
    static String eventNameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "a GA4 event name starts with a letter and holds at most " + MAX_NAME
                    + " letters, digits and underscores";
        }
        if (RESERVED_EVENTS.contains(name)) {
            return "\"" + name + "\" is reserved by GA4";
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return "the prefix \"" + prefix + "\" is reserved by GA4";
            }
        }
        return null;
    }

    static boolean paramAllowed(String name) {
        return NAME.matcher(name).matches() && !RESERVED_PARAMS.contains(name)
                && RESERVED_PREFIXES.stream().noneMatch(name::startsWith);
    }

    /**
     * A name GA4 takes, made from a Sightline event name: other characters become underscores, a leading non-letter
     * gets an {@code e_}, the result is cut to 40, and a reserved result gets the {@code sl_} prefix.
     */
    static String eventName(String raw) {
        String s = raw == null || raw.isBlank() ? "event" : raw.replaceAll("[^A-Za-z0-9_]", "_");
        if (!Character.isLetter(s.charAt(0)) || s.charAt(0) > 'z') {
            s = "e_" + s;
        }
        if (s.length() > MAX_NAME) {
            s = s.substring(0, MAX_NAME);
        }
        if (eventNameProblem(s) != null) {
            s = ("sl_" + s.replaceFirst("^_+", ""));
            s = s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s;
        }
        return s;
    }

    static String value(String s) {
        return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) : s;
    }
}
