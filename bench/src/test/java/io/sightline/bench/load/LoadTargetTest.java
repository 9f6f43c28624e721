package io.sightline.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadTargetTest {

    @Test
    void refuses_every_host_but_the_loopback_interface() {
        for (String host : new String[] {"example.com", "10.0.0.1", "192.168.1.20", "0.0.0.0", "127.0.0.2", "localhost.example.com", ""}) {
            assertThatThrownBy(() -> new LoadTarget(host, 8080))
                    .as(host)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + host + "'");
        }
    }

    @Test
    void accepts_127_0_0_1_and_localhost_and_always_connects_to_127_0_0_1() {
        assertThat(new LoadTarget("localhost", 8080).socketAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(new LoadTarget("127.0.0.1", 8080).socketAddress().getPort()).isEqualTo(8080);
    }
}
