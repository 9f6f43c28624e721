#!/usr/bin/env bash
# Builds everything and compares ingest throughput with and without enrichment (about 17 minutes; nothing
# else should run meanwhile). Options: --forks=3 --warmup=90 --rounds=3 --seconds=10 --heap=256m --unique=0.01
# --jfr (flight recordings of both servers) --without=geoip,device (diagnosis)
# --jvm=<options> --env=<VARIABLE=value> (for both servers)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/bench-classpath.txt"
cd bench
exec java -cp "target/classes:$(cat target/bench-classpath.txt)" io.sightline.bench.enrich.EnrichmentBenchmark "$@"
