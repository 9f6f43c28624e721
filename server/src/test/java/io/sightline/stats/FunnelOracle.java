package io.sightline.stats;

import java.util.List;

/**
 * The funnel's definition, checked the slow way: every chain of an actor's events is enumerated. A chain starts
 * at a step-1 event in {@code [startsFrom, startsBefore)}, then takes, step by step, a distinct event of the next step
 * that is not earlier than the previous one and no later than the start plus the window. An actor counts at every
 * step up to the deepest chain. Written from the README's words, not from {@link FunnelCounter}.
 */
final class FunnelOracle {
    /** One event: its time and the steps it matches (bit k-1 for step k). */
    record Event(long time, int mask) {
    }

    private FunnelOracle() {
    }

    static int deepest(List<Event> events, int steps, long window, long startsFrom, long startsBefore) {
        int best = 0;
        boolean[] used = new boolean[events.size()];
        for (int i = 0; i < events.size(); i++) {
            Event first = events.get(i);
            if ((first.mask() & 1) != 0 && first.time() >= startsFrom && first.time() < startsBefore) {
                used[i] = true;
                best = Math.max(best, extend(events, used, steps, window, first.time(), first.time(), 1));
                used[i] = false;
            }
        }
        return best;
    }

    private static int extend(List<Event> events, boolean[] used, int steps, long window, long start, long last,
                              int level) {
        if (level == steps) {
            return level;
        }
        int best = level;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (!used[i] && (e.mask() & (1 << level)) != 0 && e.time() >= last && e.time() - start <= window) {
                used[i] = true;
                best = Math.max(best, extend(events, used, steps, window, start, e.time(), level + 1));
                used[i] = false;
                if (best == steps) {
                    break;
                }
            }
        }
        return best;
    }
}
