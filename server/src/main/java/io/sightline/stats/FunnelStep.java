package io.sightline.stats;

import io.sightline.event.EventType;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import static io.sightline.stats.QueryError.Reason.INVALID_VALUE;
import static io.sightline.stats.QueryError.Reason.UNKNOWN_STEP;

/**
 * One step of a funnel: an event type ({@code qr_scan}, or {@code custom} for any custom event), or
 * {@code custom:<name>} for the custom events of one name. {@link #label()} is the step as the request wrote it.
 */
public record FunnelStep(String label, EventType type, String customName) {
    static final int MAX_NAME_LENGTH = 100;
    private static final String CUSTOM_PREFIX = "custom:";
    private static final Field<String> EVENT_NAME = DSL.field(DSL.name("event_name"), SQLDataType.VARCHAR);

    /** Parses one comma-separated part of {@code steps}; a mistake is a {@link QueryError} naming {@code steps}. */
    public static FunnelStep parse(String text) {
        String step = text.trim();
        if (step.startsWith(CUSTOM_PREFIX)) {
            String name = step.substring(CUSTOM_PREFIX.length());
            if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
                throw new QueryError(INVALID_VALUE,
                        "a custom step is custom:<name> with a name of 1 to " + MAX_NAME_LENGTH + " characters", "steps");
            }
            return new FunnelStep(step, EventType.CUSTOM, name);
        }
        EventType type = EventType.fromWire(step).orElseThrow(() -> new QueryError(UNKNOWN_STEP,
                "unknown step \"" + (step.length() > 64 ? step.substring(0, 64) : step)
                        + "\"; a step is an event type (qr_scan, placement, interaction, screenshot, conversion,"
                        + " custom) or custom:<name>", "steps"));
        return new FunnelStep(step, type, null);
    }

    /** The events that are this step. */
    Condition condition() {
        Condition type = EventConditions.EVENT_TYPE.eq(this.type.wireName());
        return customName == null ? type : type.and(EVENT_NAME.eq(customName));
    }
}
