#!/usr/bin/env bash
# Builds everything and runs issue 4's stats benchmark: 10M + 1M generated events in a fresh embedded PostgreSQL,
# the year rolled up by the server, then p50/p95 of each stats endpoint beside a raw scan of the same question
# (about 10-15 minutes on 2 cores; nothing else should run meanwhile).
# Options: --events=10000000 --other-events=1000000 --days=365 --runs=50 --raw-runs=3 --heap=256m --seed=42
set -euo pipefail
cd "$(dirname "$0")/.."
# Compiled in the reactor (-am), not installed: the classpath points at this tree's classes and ~/.m2 is left
# alone (the packaged server jar would not do: its manifest adds target/lib, a second copy of PostgreSQL).
mvn -B -q -pl bench -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/bench/target/stats-classpath.txt"
cd bench
exec java -cp "target/classes:$(cat target/stats-classpath.txt)" io.sightline.bench.stats.StatsBenchmark "$@"
