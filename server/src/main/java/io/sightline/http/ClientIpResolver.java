package io.sightline.http;

import io.sightline.config.CidrBlock;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Finds the client's IP address: the socket's peer, unless that peer is a configured trusted proxy, in which
 * case X-Forwarded-For is read from the right, skipping trusted proxies, and the first other address is the
 * client. Entries a client could forge (left of an untrusted hop) are never believed.
 */
public final class ClientIpResolver {
    private final List<CidrBlock> trustedProxies;

    public ClientIpResolver(List<CidrBlock> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** The client address in canonical text form, or empty when the peer address is unusable. */
    public Optional<String> resolve(String peerAddress, String forwardedFor) {
        Optional<InetAddress> peer = parse(peerAddress);
        if (peer.isEmpty()) {
            return Optional.empty();
        }
        InetAddress client = peer.get();
        if (forwardedFor != null && isTrusted(client)) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                Optional<InetAddress> hop = parse(hops[i].trim());
                if (hop.isEmpty()) {
                    break;
                }
                client = hop.get();
                if (!isTrusted(client)) {
                    break;
                }
            }
        }
        return Optional.of(client.getHostAddress());
    }

    private boolean isTrusted(InetAddress address) {
        for (CidrBlock block : trustedProxies) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return CidrBlock.literalAddress(host).flatMap(bytes -> {
            try {
                return Optional.of(InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        });
    }
}
