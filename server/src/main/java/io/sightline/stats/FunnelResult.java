package io.sightline.stats;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a {@link FunnelQuery}, one entry per step in order; rates are from 0 to 1. {@code rolledDays} says
 * how many days came from the daily funnel rollups (0: counted exactly from raw events).
 */
public record FunnelResult(String count, String window, Instant from, Instant to, List<Step> steps, int rolledDays) {

    /**
     * One step: how many reached it, the share of the previous step's and of the first step's (null when that is
     * 0, and for the first step's own "previous"), and the median time since the previous step (null for the
     * first step and when nobody reached it).
     */
    public record Step(String step, long count, Double conversionFromPrevious, Double conversionFromFirst,
                       Double medianSecondsFromPrevious) {}

    public FunnelResult {
        steps = List.copyOf(steps);
    }
}
