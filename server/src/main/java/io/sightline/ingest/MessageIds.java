package io.sightline.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Event ids for protocols whose clients name a message with an arbitrary string (Segment's {@code messageId}): a
 * name-based UUID, version 5 (SHA-1, RFC 9562 section 5.5), over the app, the protocol and the message id. The same
 * message sent again, as an SDK does after a 503, gets the same event id, so the writer's deduplication by event id
 * stores it once; the same message id from another app or another protocol never collides with it.
 */
public final class MessageIds {
    /** The namespace of Sightline's message ids; fixed forever, since stored event ids were derived from it. */
    static final UUID NAMESPACE = UUID.fromString("6f0a3c55-2b7e-4c1d-9a86-0e5d7b3f21c4");
    private static final byte[] NAMESPACE_BYTES = bytes(NAMESPACE);
    /** One digest per thread: looking one up costs more than hashing a message id. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(MessageIds::sha1);

    private MessageIds() {
    }

    /**
     * @param protocol a short constant naming the protocol ({@code "segment"}), so that protocols never share ids
     * @param messageId the client's id as it sent it (case and spaces kept: they are part of the name)
     */
    public static UUID eventId(long appId, String protocol, String messageId) {
        byte[] protocolBytes = protocol.getBytes(StandardCharsets.UTF_8);
        byte[] idBytes = messageId.getBytes(StandardCharsets.UTF_8);
        // The protocol's length goes first, so that ("ab", "c") and ("a", "bc") are different names.
        byte[] name = new byte[16 + 8 + 4 + protocolBytes.length + idBytes.length];
        System.arraycopy(NAMESPACE_BYTES, 0, name, 0, 16);
        putBigEndian(name, 16, appId, 8);
        putBigEndian(name, 24, protocolBytes.length, 4);
        System.arraycopy(protocolBytes, 0, name, 28, protocolBytes.length);
        System.arraycopy(idBytes, 0, name, 28 + protocolBytes.length, idBytes.length);
        byte[] hash = SHA1.get().digest(name); // digest() also resets it for this thread's next id
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // the RFC's variant
        return new UUID(bigEndianLong(hash, 0), bigEndianLong(hash, 8));
    }

    private static void putBigEndian(byte[] target, int at, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            target[at + i] = (byte) (value >>> (8 * (bytes - 1 - i)));
        }
    }

    private static long bigEndianLong(byte[] bytes, int from) {
        long value = 0;
        for (int i = from; i < from + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    private static byte[] bytes(UUID uuid) {
        byte[] bytes = new byte[16];
        putBigEndian(bytes, 0, uuid.getMostSignificantBits(), 8);
        putBigEndian(bytes, 8, uuid.getLeastSignificantBits(), 8);
        return bytes;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
