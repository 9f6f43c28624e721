package io.sightline.destinations;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts a destination's credentials at rest with AES-256-GCM (the JDK's provider). A sealed value is
 * {@code version (1 byte) | nonce (12 bytes) | ciphertext and 16-byte tag}. The nonce is random per write: with
 * 96-bit random nonces NIST SP 800-38D allows 2^32 encryptions under one key, far beyond the writes an admin API
 * makes. The version byte, the app id and the destination's name are the associated data, so a sealed value copied
 * onto another destination's row (or another app's) fails to open instead of handing over its credentials.
 */
public final class SecretCipher {
    static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretKey key) {
        this.key = Objects.requireNonNull(key, "key");
        if (key.getEncoded() == null || key.getEncoded().length != 32) {
            throw new IllegalArgumentException("the secret key must be 32 bytes (AES-256)");
        }
    }

    /** A sealed copy of {@code plain}, bound to this destination. */
    public byte[] seal(byte[] plain, long appId, String destinationName) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(VERSION, appId, destinationName));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * The plain bytes; throws {@link UnreadableSecrets} when the key is not the one they were sealed with, the
     * value was altered, or it belongs to another destination.
     */
    public byte[] open(byte[] sealed, long appId, String destinationName) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new UnreadableSecrets("not a sealed value of a known version");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES)));
            cipher.updateAAD(associatedData(sealed[0], appId, destinationName));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new UnreadableSecrets("the secret key differs from the one they were written with, or the row was"
                    + " altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private static byte[] associatedData(byte version, long appId, String destinationName) {
        byte[] name = destinationName.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + Long.BYTES + name.length).put(version).putLong(appId).put(name).array();
    }

    /** Sealed credentials that this key cannot open. The message never carries any of the bytes. */
    public static final class UnreadableSecrets extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableSecrets(String message) {
            super(message, null, false, false);
        }
    }
}
