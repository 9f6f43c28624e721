package io.sightline.enrich;

import java.util.Arrays;
import java.util.Optional;

/**
 * A location database's answers, remembered per network and found again by any address inside it. A visitor
 * sends many events from one address and their neighbours share their network, so under load most lookups
 * repeat an earlier one; answering from here skips the tree walk and record decoding of the database file.
 *
 * <p>Networks are filed under the /24 (IPv4) or /48 (IPv6) block of the address that found them; a block holds
 * at most {@link #NETWORKS_PER_BLOCK} of them. What is kept are networks, never addresses: an IPv4 network
 * narrower than /30 (four addresses) or an IPv6 one narrower than /64 is not remembered.
 */
final class NetworkAnswers {
    private static final int NETWORKS_PER_BLOCK = 16;
    private static final int IPV4_BLOCK_BITS = 24;
    private static final int IPV6_BLOCK_BITS = 48;
    private static final int NARROWEST_IPV4 = 30;
    private static final int NARROWEST_IPV6 = 64;

    private final RecentMap<Long, Network[]> blocks;

    /** @param blocks how many blocks to remember at most */
    NetworkAnswers(int blocks) {
        this.blocks = new RecentMap<>(blocks);
    }

    /** The answer of a remembered network that holds {@code address} (4 or 16 bytes), or null. */
    Optional<GeoFacts> find(byte[] address) {
        Address a = Address.of(address);
        Network[] networks = blocks.get(a.block());
        if (networks != null) {
            for (Network n : networks) {
                if (n.holds(a)) {
                    return n.answer();
                }
            }
        }
        return null;
    }

    /** Remembers what the database said of the network of {@code prefixLength} bits that holds {@code address}. */
    void remember(byte[] address, int prefixLength, Optional<GeoFacts> answer) {
        Address a = Address.of(address);
        if (prefixLength < 0 || prefixLength > (a.width() == 32 ? NARROWEST_IPV4 : NARROWEST_IPV6)) {
            return;
        }
        Network network = new Network(a.head() & mask(prefixLength, a.width()), prefixLength, a.width(), answer);
        Network[] known = blocks.get(a.block());
        if (known == null) {
            blocks.put(a.block(), new Network[] {network});
        } else if (known.length < NETWORKS_PER_BLOCK) {
            Network[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = network;
            blocks.put(a.block(), more); // copy on write: readers never see a half-filled array
        }
    }

    private static long mask(int prefixLength, int width) {
        return prefixLength == 0 ? 0 : -1L << (width - prefixLength);
    }

    /**
     * An address as its first 32 (IPv4) or 64 (IPv6) bits, which is all a remembered network can cover. An IPv4
     * address written as IPv6 (::ffff:a.b.c.d or ::a.b.c.d) reaches the database's IPv4 subtree, so it counts
     * as IPv4: else all of them would share the block ::/48.
     */
    private record Address(long head, int width) {
        static Address of(byte[] bytes) {
            boolean v4 = bytes.length == 4 || embedsIpv4(bytes);
            int offset = v4 ? bytes.length - 4 : 0;
            int count = v4 ? 4 : 8;
            long head = 0;
            for (int i = 0; i < count; i++) {
                head = head << 8 | (bytes[offset + i] & 0xFFL);
            }
            return new Address(head, v4 ? 32 : 64);
        }

        /** The block, tagged with the version so an IPv4 and an IPv6 block never meet. */
        Long block() {
            return width == 32 ? 4L << 56 | head >>> (32 - IPV4_BLOCK_BITS) : 6L << 56 | head >>> (64 - IPV6_BLOCK_BITS);
        }

        private static boolean embedsIpv4(byte[] bytes) {
            if (bytes.length != 16) {
                return false;
            }
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return false;
                }
            }
            return (bytes[10] == 0 && bytes[11] == 0) || (bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF);
        }
    }

    private record Network(long bits, int prefixLength, int width, Optional<GeoFacts> answer) {
        boolean holds(Address a) {
            return a.width() == width && (a.head() & mask(prefixLength, width)) == bits;
        }
    }
}
