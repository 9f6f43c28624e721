#!/usr/bin/env bash
# Builds everything and runs the forwarding benchmark (about 6-8 minutes; nothing else should run meanwhile).
# Options are passed through, e.g. --seconds=15 --connections=8 --pairs=2 --backlog=100000 --lag-rate=2000 --lag-seconds=30
# --heap=256m --server-opts="-Xlog:gc" --keep=false
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/bench-classpath.txt"
cd bench
exec java -cp "target/classes:$(cat target/bench-classpath.txt)" io.sightline.bench.forward.ForwardingBenchmark "$@"
