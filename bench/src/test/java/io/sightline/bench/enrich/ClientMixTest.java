package io.sightline.bench.enrich;

import io.sightline.bench.load.MixedRequestSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClientMixTest {
    @Test
    void mixes_many_repeats_some_unique_agents_and_a_few_crawlers_with_skewed_addresses() {
        ClientMix mix = new ClientMix(List.of("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"), 0.05, 1);
        int n = 20_000;
        int unique = 0;
        int bots = 0;
        Map<String, Integer> agents = new HashMap<>();
        Map<String, Integer> addresses = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ClientMix.Sender s = mix.next();
            unique += s.userAgent().contains(MixedRequestSource.UNIQUE) ? 1 : 0;
            bots += s.userAgent().contains("bot") ? 1 : 0;
            agents.merge(s.userAgent(), 1, Integer::sum);
            addresses.merge(s.address(), 1, Integer::sum);
        }
        assertThat(unique / (double) n).isBetween(0.04, 0.06);
        assertThat(bots / (double) n).isBetween(0.005, 0.015);
        assertThat(agents.size()).isGreaterThan(150);
        assertThat(ClientMix.commonUserAgents()).hasSizeGreaterThan(150).doesNotHaveDuplicates();
        assertThat(addresses.get("203.0.113.1")).isGreaterThan(addresses.get("203.0.113.4"));
    }
}
