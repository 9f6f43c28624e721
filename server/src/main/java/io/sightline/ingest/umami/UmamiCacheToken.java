package io.sightline.ingest.umami;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The {@code cache} value of Umami's answer, which the tracker sends back in {@code x-umami-cache}. Umami puts the
 * website, session and visit in it (a signed JWT) to skip a lookup and a session insert on the next message.
 * Sightline needs neither: the visitor and session are derived from the request on every event, and the website's
 * app is looked up in memory. So the token only carries the website id and when it was issued, signed with
 * HMAC-SHA256 under a key in {@code server_secrets} (the same on every instance): it reveals nothing about the
 * visitor, cannot be forged, and nothing is skipped or trusted because of it. Sightline ignores the header.
 *
 * <p>Form: {@code base64url(website id ‖ issued-at seconds) "." base64url(first 16 bytes of the HMAC)}.
 */
final class UmamiCacheToken {
    /** The name of its key in {@code server_secrets}. */
    static final String KEY_NAME = "umami_cache_key";
    static final int KEY_BYTES = 32;
    private static final int TAG_BYTES = 16;
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Clock clock;

    UmamiCacheToken(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.clock = clock;
    }

    String issue(UUID website) {
        byte[] claims = ByteBuffer.allocate(24)
                .putLong(website.getMostSignificantBits())
                .putLong(website.getLeastSignificantBits())
                .putLong(clock.instant().getEpochSecond())
                .array();
        return BASE64.encodeToString(claims) + "." + BASE64.encodeToString(Arrays.copyOf(mac(claims), TAG_BYTES));
    }

    private byte[] mac(byte[] claims) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(claims);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
