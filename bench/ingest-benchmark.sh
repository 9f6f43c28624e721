#!/usr/bin/env bash
# Builds everything and runs the ingestion benchmark (about 4 minutes; nothing else should run meanwhile).
# Options are passed through, e.g. --seconds=10 --track=16,64,128,256,512 --batch=4,8,16 --heap=256m
# --protocol=segment also measures Segment's /v1/batch with the same events, as a ratio to /api/v1/analytics/batch
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/bench-classpath.txt"
cd bench
exec java -cp "target/classes:$(cat target/bench-classpath.txt)" io.sightline.bench.ingest.IngestBenchmark "$@"
