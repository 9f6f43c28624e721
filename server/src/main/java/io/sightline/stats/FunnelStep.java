package io.sightline.stats;

import io.sightline.event.EventType;
import io.sightline.store.Dimension;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.util.Arrays;
import java.util.stream.Collectors;

import static io.sightline.stats.QueryError.Reason.INVALID_VALUE;
import static io.sightline.stats.QueryError.Reason.UNKNOWN_STEP;

/**
 * One step of a funnel: an event type ({@code qr_scan}, {@code screen_view} for any view, or {@code custom} for any
 * custom event), {@code custom:<name>} for the custom events of one name, or {@code screen_view:<path>} for the views
 * of one path. {@link #label()} is the step as the request wrote it; {@code customName} and {@code path} are null
 * unless the step names one.
 */
public record FunnelStep(String label, EventType type, String customName, String path) {
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_PATH_LENGTH = 1000;
    private static final String CUSTOM_PREFIX = "custom:";
    private static final String VIEW_PREFIX = "screen_view:";
    private static final String TYPES = Arrays.stream(EventType.values()).map(EventType::wireName)
            .collect(Collectors.joining(", "));
    private static final Field<String> EVENT_NAME = DSL.field(DSL.name("event_name"), SQLDataType.VARCHAR);
    private static final Field<String> PATH = DSL.field(Dimension.PATH.sql(), SQLDataType.VARCHAR);

    /** Parses one comma-separated part of {@code steps}; a mistake is a {@link QueryError} naming {@code steps}. */
    public static FunnelStep parse(String text) {
        String step = text.trim();
        if (step.startsWith(CUSTOM_PREFIX)) {
            String name = step.substring(CUSTOM_PREFIX.length());
            if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
                throw new QueryError(INVALID_VALUE,
                        "a custom step is custom:<name> with a name of 1 to " + MAX_NAME_LENGTH + " characters", "steps");
            }
            return new FunnelStep(step, EventType.CUSTOM, name, null);
        }
        if (step.startsWith(VIEW_PREFIX)) {
            String path = step.substring(VIEW_PREFIX.length());
            if (!path.startsWith("/") || path.length() > MAX_PATH_LENGTH) {
                throw new QueryError(INVALID_VALUE, "a view step is screen_view:<path> with a path that starts with"
                        + " \"/\", at most " + MAX_PATH_LENGTH + " characters", "steps");
            }
            return new FunnelStep(step, EventType.SCREEN_VIEW, null, path);
        }
        EventType type = EventType.fromWire(step).orElseThrow(() -> new QueryError(UNKNOWN_STEP,
                "unknown step \"" + (step.length() > 64 ? step.substring(0, 64) : step)
                        + "\"; a step is an event type (" + TYPES + "), custom:<name> or screen_view:<path>", "steps"));
        return new FunnelStep(step, type, null, null);
    }

    /** Whether the step is its event type alone, so that one IN over the types selects it. */
    boolean wholeType() {
        return customName == null && path == null;
    }

    /** The events that are this step. */
    Condition condition() {
        Condition type = EventConditions.EVENT_TYPE.eq(this.type.wireName());
        if (customName != null) {
            return type.and(EVENT_NAME.eq(customName));
        }
        return path == null ? type : type.and(PATH.eq(path));
    }
}
