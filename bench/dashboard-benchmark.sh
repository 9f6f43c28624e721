#!/usr/bin/env bash
# Builds everything and runs issue 16's dashboard benchmark: the stats benchmark's year (10M + 1M generated events in
# a fresh embedded PostgreSQL, rolled up by the server), then a viewer signs in through the login page in headless
# Chromium (/usr/bin/chromium; Playwright downloads no browser) and loads the 12-month overview 20 times after 2
# warm-up loads: p50/p95/max until every panel is drawn, each panel's time, the bytes transferred. About 20 minutes
# and 7.5 GB of disk at the peak on 2 cores; nothing else should run meanwhile; the cluster is deleted at the end
# unless --keep=true.
# Options: --events=10000000 --other-events=1000000 --days=365 --runs=20 --cold=false --heap=256m --seed=42
#          --connections=2 --keep=false
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Compiled in the reactor (-am), not installed, as the stats benchmark is: see stats-benchmark.sh.
mvn -B -q -pl bench -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/bench/target/dashboard-classpath.txt"
cd bench
exec java -cp "target/classes:$(cat target/dashboard-classpath.txt)" io.sightline.bench.dashboard.DashboardBenchmark "$@"
