package io.sightline.funnel;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A funnel the rollup counts per day, so that a query asking exactly this funnel over a long range merges days
 * instead of reading every event (README "Rollups and retention"). {@code name} is what its rows are stored under:
 * a changed definition needs a new name, or old rows would answer the new question.
 *
 * @param steps    event types, in order (no {@code custom:<name>} steps: the rollup matches on the type alone)
 * @param sessions whether an actor is a session (else a visitor)
 */
public record FunnelDefinition(String name, List<String> steps, Duration window, boolean sessions) {
    private static final List<String> DASHBOARD_STEPS = List.of("qr_scan", "placement", "interaction", "conversion");

    /** The dashboard's default funnel, by visitors and by sessions. Add one here and the rollup counts it too. */
    public static final List<FunnelDefinition> ROLLED = List.of(
            new FunnelDefinition("dashboard-visitors", DASHBOARD_STEPS, Duration.ofHours(1), false),
            new FunnelDefinition("dashboard-sessions", DASHBOARD_STEPS, Duration.ofHours(1), true));

    public FunnelDefinition {
        steps = List.copyOf(steps);
        if (steps.size() < 2 || steps.size() > 8 || steps.stream().anyMatch(s -> s.contains(":"))) {
            throw new IllegalArgumentException("a rolled funnel has 2 to 8 plain event-type steps: " + steps);
        }
    }

    /** The rolled definition with these steps, window and actor, if there is one. */
    public static Optional<FunnelDefinition> find(List<String> steps, Duration window, boolean sessions) {
        return ROLLED.stream()
                .filter(d -> d.steps.equals(steps) && d.window.equals(window) && d.sessions == sessions)
                .findFirst();
    }

    /** The longest window of {@link #ROLLED}: how far past a day's end its funnel rows read. */
    public static Duration longestWindow() {
        return ROLLED.stream().map(FunnelDefinition::window).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The steps {@code eventType} is, as a mask (bit k-1 for step k); 0 when none. */
    public int mask(String eventType) {
        int mask = 0;
        for (int k = 0; k < steps.size(); k++) {
            if (steps.get(k).equals(eventType)) {
                mask |= 1 << k;
            }
        }
        return mask;
    }

    public long windowMicros() {
        return window.toSeconds() * 1_000_000L;
    }
}
