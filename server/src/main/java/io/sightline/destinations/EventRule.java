package io.sightline.destinations;

import java.util.Objects;

/**
 * One line of a destination's mapping: which Sightline events go out ({@code match}: an event type such as
 * {@code conversion}, or {@code custom:<name>}), and under which platform event name. For Google Ads the name is the
 * conversion action, for LinkedIn the conversion rule, for X the event id. A null {@code name} asks the platform
 * for its default naming (Meta: {@code Purchase}, or {@code Lead} when the event has no value).
 */
public record EventRule(String match, String name) {
    public EventRule {
        Objects.requireNonNull(match, "match");
    }

    public boolean matches(String eventType, String eventName) {
        if (match.startsWith("custom:")) {
            return "custom".equals(eventType) && match.substring("custom:".length()).equals(eventName);
        }
        return match.equals(eventType);
    }
}
