package io.sightline.bench.load;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where the load goes: this machine's loopback interface and nothing else. The generator exists to saturate a
 * server, so it refuses every other host instead of trusting callers to point it somewhere harmless.
 */
public record LoadTarget(String host, int port) {
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost");

    public LoadTarget {
        Objects.requireNonNull(host, "host");
        if (!LOOPBACK_NAMES.contains(host.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                    "refusing to send load to host '" + host + "': only 127.0.0.1 and localhost are allowed");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
    }

    public static LoadTarget loopback(int port) {
        return new LoadTarget("127.0.0.1", port);
    }

    /** Always the literal 127.0.0.1, never a name lookup: a hosts file could map "localhost" elsewhere. */
    InetSocketAddress socketAddress() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    String hostHeader() {
        return host + ":" + port;
    }
}
