package io.sightline.enrich;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * HMAC-SHA256 under one day's random salt. Without the salt, which lives only in the database and is
 * deleted after its retention, a result cannot be reproduced by hashing every IPv4 address.
 */
public final class DailyKey {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public DailyKey(byte[] salt) {
        if (salt.length < 32) {
            throw new IllegalArgumentException("a daily salt needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(salt.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The salted hash of an IP address; a purpose prefix keeps it unrelated to visitor ids. */
    public byte[] ipHash(String ip) {
        Mac mac = macs.get();
        mac.update((byte) 'i');
        mac.update((byte) '\n');
        return mac.doFinal(ip.getBytes(StandardCharsets.UTF_8));
    }

    /** 128 bits of HMAC(app, ip, user agent) as 32 hex characters: one visitor for one day. */
    public String visitorId(long appId, String ip, String userAgent) {
        Mac mac = macs.get();
        mac.update((byte) 'v');
        mac.update((byte) '\n');
        mac.update(Long.toString(appId).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '\n');
        mac.update(ip.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '\n');
        byte[] digest = mac.doFinal(userAgent == null ? new byte[0] : userAgent.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[32];
        for (int i = 0; i < 16; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(out);
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
