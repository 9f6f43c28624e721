package io.sightline.bench.dashboard;

import io.sightline.bench.stats.Timings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The measured loads summed up: render times, bytes, each panel's time and states, panels in error, page errors. */
final class LoadReport {
    /** Issue 16: the 12-month overview fully rendered in at most 1.5 s p95 over 20 loads. */
    static final double TARGET_P95_MS = 1500;

    private LoadReport() {
    }

    static void print(String path, PageLoad first, List<PageLoad> loads, Collection<String> pageErrors) {
        Timings render = timings(loads, PageLoad::renderMs);
        System.out.printf(Locale.ROOT, "%nResults over %d loads of %s (ms from navigation start, the page's own clock)%n",
                loads.size(), path);
        System.out.printf(Locale.ROOT, "    full render   p50 %8.1f  p95 %8.1f  max %8.1f   target p95 <= %.0f: %s%n",
                render.p50(), render.p95(), render.max(), TARGET_P95_MS, render.p95() <= TARGET_P95_MS ? "met" : "MISSED");
        Timings wall = timings(loads, PageLoad::wallMs);
        System.out.printf(Locale.ROOT, "    driver wait   p50 %8.1f  p95 %8.1f  max %8.1f   (navigate until Playwright saw"
                + " ready, its polling included)%n", wall.p50(), wall.p95(), wall.max());

        System.out.printf(Locale.ROOT, "%nBytes (Resource Timing: the document and every request started before ready;"
                + " transferred = transferSize with headers, 0 for a cache hit; bodies = encodedBodySize)%n");
        System.out.printf(Locale.ROOT, "    first warm-up load: %,d transferred, %,d bodies, %d requests%n",
                first.transferBytes(), first.encodedBytes(), first.requests());
        Timings transfer = timings(loads, PageLoad::transferBytes);
        Timings bodies = timings(loads, PageLoad::encodedBytes);
        Timings requests = timings(loads, PageLoad::requests);
        System.out.printf(Locale.ROOT, "    measured loads:     %,.0f transferred (p50; max %,.0f), %,.0f bodies (p50), %.0f"
                + " requests (p50)%n", transfer.p50(), transfer.max(), bodies.p50(), requests.p50());

        Map<String, List<PageLoad.Panel>> byPanel = new TreeMap<>();
        for (PageLoad load : loads) {
            load.panels().forEach(p -> byPanel.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p));
        }
        System.out.printf(Locale.ROOT, "%nPanels (ms from navigation start until the panel left \"loading\")%n");
        System.out.printf(Locale.ROOT, "    %-22s %8s %8s %8s   %s%n", "panel", "p50", "p95", "max", "states at ready");
        List<String> errors = new ArrayList<>();
        byPanel.forEach((name, seen) -> {
            Timings t = timings(seen.stream().filter(p -> !Double.isNaN(p.readyMs())).toList(), PageLoad.Panel::readyMs);
            Map<String, Integer> states = new TreeMap<>();
            seen.forEach(p -> states.merge(p.state(), 1, Integer::sum));
            System.out.printf(Locale.ROOT, "    %-22s %8.1f %8.1f %8.1f   %s%n", name, t.p50(), t.p95(), t.max(), states);
            if (states.containsKey("error")) {
                errors.add(name + " (" + states.get("error") + " of " + seen.size() + " loads)");
            }
        });
        System.out.println("\nPanels in error: " + (errors.isEmpty() ? "none" : String.join(", ", errors)));
        System.out.println("Page errors (uncaught or logged to the console): " + (pageErrors.isEmpty() ? "none" : pageErrors.size()));
        pageErrors.forEach(e -> System.out.println("    " + e));
    }

    private static <T> Timings timings(List<T> items, ToDoubleFunction<T> value) {
        return Timings.of(items.stream().mapToDouble(value).toArray());
    }
}
