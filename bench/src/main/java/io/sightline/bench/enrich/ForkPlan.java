package io.sightline.bench.enrich;

import java.time.Duration;
import java.util.List;

/** What every fork does alike: the servers' JVM options, the client mix and the length of each step. */
record ForkPlan(List<String> jvm, boolean profile, List<String> addresses, double unique, Duration jitWarmUp,
                int rounds, Duration measured) {
}
