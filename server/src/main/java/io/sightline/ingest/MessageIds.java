package io.sightline.ingest;

import java.nio.ByteBuffer;
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
        ByteBuffer name = ByteBuffer.allocate(16 + 8 + 4 + protocolBytes.length + idBytes.length)
                .putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits())
                .putLong(appId).putInt(protocolBytes.length).put(protocolBytes).put(idBytes);
        byte[] hash = sha1(name.array());
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // the RFC's variant
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong());
    }

    private static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
