package io.sightline.enrich;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Replaces an IP address by HMAC-SHA256(server secret, address). Without the secret, which lives only in the
 * database, the hash cannot be reversed by hashing all 2^32 IPv4 addresses. The raw address goes no further.
 */
public final class IpHasher {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public IpHasher(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the IP hash key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public byte[] hash(String ip) {
        return macs.get().doFinal(ip.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
