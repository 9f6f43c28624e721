package io.sightline.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {

    @Test
    void has_documented_defaults_when_nothing_is_set() {
        Config c = Config.load(Map.of());
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.database().embedded()).isTrue();
        assertThat(c.database().dataDirectory().toString()).endsWith("data");
        assertThat(c.ingest().maxBatchEvents()).isEqualTo(500);
        assertThat(c.ingest().maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(c.ingest().backfillWindow()).isEqualTo(Duration.ofDays(7));
        assertThat(c.ingest().futureTolerance()).isEqualTo(Duration.ofHours(24));
        assertThat(c.ingest().trustedProxies()).isEmpty();
        assertThat(c.writer().threads()).isEqualTo(2);
        assertThat(c.http().threads()).isEqualTo(32);
        assertThat(c.enrich().userAgentCache()).isEqualTo(20_000);
        assertThat(c.enrich().geoipCacheBlocks()).isEqualTo(16_384);
    }

    @Test
    void names_the_variable_of_an_invalid_value() {
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_HTTP_PORT", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("SIGHTLINE_HTTP_PORT:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_HTTP_PORT", "70000")))
                .hasMessageStartingWith("SIGHTLINE_HTTP_PORT:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_BACKFILL_WINDOW", "a week")))
                .hasMessageStartingWith("SIGHTLINE_BACKFILL_WINDOW:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_BACKFILL_WINDOW", "61d")))
                .hasMessageStartingWith("SIGHTLINE_BACKFILL_WINDOW:");
        assertThat(Config.load(Map.of("SIGHTLINE_BACKFILL_WINDOW", "60d")).ingest().backfillWindow())
                .isEqualTo(Duration.ofDays(60));
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_TRUSTED_PROXIES", "10.0.0.0/33")))
                .hasMessageStartingWith("SIGHTLINE_TRUSTED_PROXIES:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_TRUSTED_PROXIES", "proxy.example.com")))
                .hasMessageStartingWith("SIGHTLINE_TRUSTED_PROXIES:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_DATABASE_URL", "postgres://x")))
                .hasMessageStartingWith("SIGHTLINE_DATABASE_URL:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_QUEUE_CAPACITY", "-1")))
                .hasMessageStartingWith("SIGHTLINE_QUEUE_CAPACITY:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_HTTP_THREADS", "4")))
                .hasMessageStartingWith("SIGHTLINE_HTTP_THREADS:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_USER_AGENT_CACHE", "1000000")))
                .hasMessageStartingWith("SIGHTLINE_USER_AGENT_CACHE:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_GEOIP_CACHE", "0")))
                .hasMessageStartingWith("SIGHTLINE_GEOIP_CACHE:");
    }

    @Test
    void shutdown_drain_is_five_seconds_unless_set_between_zero_and_five_minutes() {
        assertThat(Config.load(Map.of()).http().shutdownDrain()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Config.load(Map.of("SIGHTLINE_SHUTDOWN_DRAIN", "0s")).http().shutdownDrain()).isZero();
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_SHUTDOWN_DRAIN", "6m")))
                .hasMessageStartingWith("SIGHTLINE_SHUTDOWN_DRAIN:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_SHUTDOWN_DRAIN", "soon")))
                .hasMessageStartingWith("SIGHTLINE_SHUTDOWN_DRAIN:");
    }

    @Test
    void the_dashboard_has_no_public_url_and_twelve_hour_sessions_unless_set() {
        Config defaults = Config.load(Map.of());
        assertThat(defaults.dashboard().publicUrl()).isEmpty();
        assertThat(defaults.dashboard().sessionTtl()).isEqualTo(Duration.ofHours(12));
        Config set = Config.load(Map.of("SIGHTLINE_PUBLIC_URL", "HTTPS://Stats.Example.com:8443/",
                "SIGHTLINE_SESSION_TTL", "30m"));
        assertThat(set.dashboard().publicUrl().orElseThrow().toString()).isEqualTo("https://stats.example.com:8443");
        assertThat(set.dashboard().sessionTtl()).isEqualTo(Duration.ofMinutes(30));
        for (String bad : new String[] {"stats.example.com", "ftp://stats.example.com", "https://x.example/app",
                "https://x.example/?a=1"}) {
            assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_PUBLIC_URL", bad))).as(bad)
                    .hasMessageStartingWith("SIGHTLINE_PUBLIC_URL:");
        }
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_SESSION_TTL", "1m")))
                .hasMessageStartingWith("SIGHTLINE_SESSION_TTL:");
        assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_SESSION_TTL", "8d")))
                .hasMessageStartingWith("SIGHTLINE_SESSION_TTL:");
    }

    @Test
    void reads_durations_in_short_and_iso_forms() {
        assertThat(Config.load(Map.of("SIGHTLINE_BACKFILL_WINDOW", "3d")).ingest().backfillWindow()).isEqualTo(Duration.ofDays(3));
        assertThat(Config.load(Map.of("SIGHTLINE_ACK_TIMEOUT", "500ms")).ingest().ackTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(Config.load(Map.of("SIGHTLINE_ACK_TIMEOUT", "PT2S")).ingest().ackTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void matches_addresses_against_cidr_ranges() throws Exception {
        CidrBlock v4 = CidrBlock.parse("10.1.0.0/16");
        assertThat(v4.contains(InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(v4.contains(InetAddress.getByName("10.2.0.1"))).isFalse();
        CidrBlock v6 = CidrBlock.parse("2001:db8::/32");
        assertThat(v6.contains(InetAddress.getByName("2001:db8:1::5"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("10.1.200.3"))).isFalse();
        assertThat(CidrBlock.parse("127.0.0.1").contains(InetAddress.getByName("127.0.0.1"))).isTrue();
    }
}
