package io.sightline.destinations;

import java.time.Duration;
import java.util.List;

/**
 * The client of one advertising or analytics platform ({@code MetaDestination}, {@code UmamiDestination}, ...):
 * what a destination of its type must configure, and how a batch of events is sent in the platform's documented
 * format. Implementations keep no per-destination state but caches (an OAuth access token), are thread-safe, and
 * never log a credential or a raw value.
 */
public interface Platform {
    DestinationType type();

    /** The config fields it reads. The admin API checks them before {@link #check}; secrets among them are write-only. */
    List<ConfigField> fields();

    /**
     * Checks what the declared fields cannot say (combinations, a URL's scheme); throws {@link DestinationError}
     * with field {@code config.<name>}. The default accepts everything.
     */
    default void check(DestinationConfig config) {
    }

    /**
     * Checks one mapping line's platform event name against the platform's own naming rules (GA4 refuses reserved
     * names and prefixes); throws {@link DestinationError} with field {@code name}, which the admin API prefixes with
     * the line's place. The default accepts every name.
     */
    default void checkRule(EventRule rule) {
    }

    /**
     * Checks the mapping against the config: a platform whose rules without a name fall back to a configured id
     * (Google Ads' conversion action, LinkedIn's conversion rule, X's event id) refuses such a rule when that id is
     * not set, since every event it matched would be dead-lettered. Throws {@link DestinationError} with field
     * {@code config.<name>}. The default accepts every mapping.
     */
    default void checkMapping(DestinationConfig config, List<EventRule> rules) {
    }

    /** The mapping a new destination gets when the admin gives none. */
    List<EventRule> defaultRules();

    /** The platform event name for an event whose rule names none (Meta: Purchase, or Lead when there is no value). */
    String defaultEventName(Outgoing event);

    /** The most events one request may carry. */
    int maxBatch();

    /** How old an event the platform still accepts; older ones are skipped with a reason and never sent. */
    Duration window();

    /**
     * Sends one batch (at most {@link #maxBatch()} events of one destination) and returns the outcome of each, in
     * the batch's order. A failure of the whole request is a {@link Outcome.Retry} or {@link Outcome.Failed} for
     * every event; it never throws but on interrupt.
     */
    List<Outcome> send(DestinationConfig config, List<Outgoing> batch) throws InterruptedException;
}
