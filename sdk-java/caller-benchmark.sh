#!/usr/bin/env bash
# The SDK's cost per event on the caller's thread (JMH, sampled per call): interaction and custom, against empty.
# Usage: bash sdk-java/caller-benchmark.sh [JMH options]   (default: 1 fork, 3 x 2 s warm-up, 5 x 2 s measured)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl server,sdk-java test-compile
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
jmh="$repo/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar"
cp="sdk-java/target/test-classes:sdk-java/target/classes:$jmh"
cp="$cp:$repo/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar"
cp="$cp:$repo/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
if [ $# -eq 0 ]; then set -- -f 1 -wi 3 -w 2s -i 5 -r 2s; fi
exec java -cp "$cp" org.openjdk.jmh.Main 'io.sightline.sdk.CallerCostBenchmark' "$@"
