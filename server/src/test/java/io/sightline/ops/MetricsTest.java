package io.sightline.ops;

import io.sightline.ingest.StepTimer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {

    @Test
    void exposes_one_timer_per_pipeline_step_tagged_with_its_name() {
        Metrics metrics = new Metrics();
        StepTimer consent = metrics.stepTimer("consent");
        StepTimer ipHash = metrics.stepTimer("ip_hash");

        consent.record(2_000_000);
        consent.record(1_000_000);
        ipHash.record(500_000);

        assertThat(metrics.scrape())
                .contains("sightline_ingest_step_seconds_count{step=\"consent\"} 2")
                .contains("sightline_ingest_step_seconds_sum{step=\"consent\"} 0.003")
                .contains("sightline_ingest_step_seconds_count{step=\"ip_hash\"} 1");
    }
}
