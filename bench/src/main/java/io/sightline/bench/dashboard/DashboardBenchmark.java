package io.sightline.bench.dashboard;

import io.sightline.bench.stats.StatsRig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 16's dashboard benchmark: on the stats benchmark's year ({@link StatsRig}: the events loaded, the server
 * started, the year rolled up), a viewer signs in through the login page in headless Chromium and loads the overview
 * of the last 12 months {@code --runs} times after {@value #WARM_UP} warm-up loads, each timed from the start of the
 * navigation until every panel has left "loading".
 * Options: --events=10000000 --other-events=1000000 --days=365 --runs=20 --cold=false (true: every load with an empty
 * HTTP cache) --heap=256m --seed=42 --connections=2 --keep=false.
 */
public final class DashboardBenchmark {
    private static final int WARM_UP = 2;

    record Options(StatsRig.Data data, int runs, boolean cold) {
        private static final Map<String, String> OWN_DEFAULTS = Map.of("--runs", "20", "--cold", "false");

        static Options parse(String[] args) {
            Map<String, String> v = StatsRig.options(args, OWN_DEFAULTS);
            Options o = new Options(StatsRig.data(v), Integer.parseInt(v.get("--runs")), Boolean.parseBoolean(v.get("--cold")));
            if (o.runs < 1) {
                throw new IllegalArgumentException("need --runs >= 1");
            }
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "dashboard-bench-");
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StatsRig.Data data = options.data;
        System.out.printf(Locale.ROOT, "Dashboard benchmark: %d cores, server -Xmx%s, %,d + %,d events over %d days, %d"
                        + " loads (after %d warm-up) with a %s HTTP cache; data in %s%n%n",
                Runtime.getRuntime().availableProcessors(), data.heap(), data.events(), data.otherEvents(), data.days(),
                options.runs, WARM_UP, options.cold ? "cold" : "warm", dir);
        // The browser first: a missing or broken Chromium should stop the run before the long load, not after it.
        try (OverviewBrowser browser = OverviewBrowser.launch()) {
            System.out.println("== browser: Chromium " + browser.version() + " (" + OverviewBrowser.CHROMIUM + "), headless");
            try (StatsRig rig = StatsRig.start(data, dir, end)) {
                DashboardUser user = DashboardUser.create(rig.api(), rig.adminToken(), rig.app());
                System.out.printf(Locale.ROOT, "== user %s, viewer of app %d, password set through its one-time link%n",
                        user, rig.app());
                browser.signIn(rig.port(), user);
                System.out.println("== signed in through " + DashboardPages.LOGIN);
                PageLoad first = null;
                for (int i = 0; i < WARM_UP; i++) {
                    PageLoad warmUp = browser.load(rig.app(), options.cold);
                    first = first == null ? warmUp : first;
                    System.out.printf(Locale.ROOT, "    warm-up %d: %8.1f ms, %,d bytes transferred%n", i + 1,
                            warmUp.renderMs(), warmUp.transferBytes());
                }
                List<PageLoad> loads = new ArrayList<>();
                for (int i = 0; i < options.runs; i++) {
                    PageLoad load = browser.load(rig.app(), options.cold);
                    loads.add(load);
                    System.out.printf(Locale.ROOT, "    load %2d:  %8.1f ms, %,d bytes transferred%n", i + 1,
                            load.renderMs(), load.transferBytes());
                }
                LoadReport.print(DashboardPages.overview(rig.app()), first, loads, browser.pageErrors());
            }
        }
    }
}
