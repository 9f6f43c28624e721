package io.sightline.destinations.platforms;

import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.DestinationError;
import io.sightline.destinations.EventRule;
import io.sightline.destinations.Outgoing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a rule's name means to Google Ads, LinkedIn and X: the id of the platform object an event is recorded
 * against (a conversion action, a conversion rule, an event id), or, for a rule that names none, the one configured
 * in {@code config.<field>}. A malformed id or a missing default is refused when the destination is saved: accepted,
 * it would dead-letter every event the rule matched.
 *
 * @param platform the platform's name in messages ("Google Ads")
 * @param field    the config field of the default id
 * @param what     what the id is, for messages ("a conversion action id (digits)")
 */
record TargetId(String platform, String field, Pattern pattern, String what) {
    /** The platform event name of an event whose rule names no id: "the configured one". */
    static final String CONFIGURED = "default";

    void checkRule(EventRule rule) {
        if (rule.name() != null && !pattern.matcher(rule.name()).matches()) {
            throw DestinationError.invalid("name", "a " + platform + " rule's name is " + what
                    + "; leave it out to use config." + field);
        }
    }

    void checkMapping(DestinationConfig config, List<EventRule> rules) {
        if (config.get(field) == null && rules.stream().anyMatch(r -> r.name() == null)) {
            throw new DestinationError(DestinationError.Reason.MISSING_FIELD, "config." + field,
                    "a rule names no id, so config." + field + " is needed");
        }
    }

    /** The id the event goes to, or null when its rule names none and none is configured. */
    String of(Outgoing event, DestinationConfig config) {
        String name = event.platformEventName();
        return CONFIGURED.equals(name) || name.isBlank() ? config.get(field) : name;
    }

    boolean valid(String id) {
        return id != null && pattern.matcher(id).matches();
    }

    /** Why an event without a usable id is refused (dead-lettered: only a new rule or config can help). */
    String refusal() {
        return "the rule's name must be " + what + ", or config." + field + " set";
    }
}
