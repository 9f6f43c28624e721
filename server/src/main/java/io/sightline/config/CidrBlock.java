package io.sightline.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address range such as 10.0.0.0/8 or ::1/128; a bare address means a single host. */
public record CidrBlock(byte[] network, int prefixLength) {

    public static CidrBlock parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        byte[] address = literalAddress(host)
                .orElseThrow(() -> new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR range"));
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" has an invalid prefix length");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("\"" + text + "\" has a prefix length outside 0.." + bits);
            }
        }
        return new CidrBlock(address, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    /**
     * Parses an IP literal without ever asking DNS: {@link InetAddress#getByName} would resolve a host name,
     * so anything that is not made of hex digits, dots and colons is refused first.
     */
    public static java.util.Optional<byte[]> literalAddress(String host) {
        if (host.isEmpty() || host.length() > 45) {
            return java.util.Optional.empty();
        }
        boolean colon = false;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (c == ':') {
                colon = true;
            } else if (!hex && c != '.') {
                return java.util.Optional.empty();
            }
        }
        if (!colon) {
            // IPv4: exactly four decimal parts; InetAddress would also accept "1.2" or "1".
            String[] parts = host.split("\\.", -1);
            if (parts.length != 4) {
                return java.util.Optional.empty();
            }
            for (String part : parts) {
                if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                        || Integer.parseInt(part) > 255) {
                    return java.util.Optional.empty();
                }
            }
        }
        try {
            return java.util.Optional.of(InetAddress.getByName(host).getAddress());
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }
}
