package io.sightline.privacy;

import io.sightline.event.StorableText;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import static io.sightline.privacy.PrivacyError.Reason.CONFLICTING_FIELDS;
import static io.sightline.privacy.PrivacyError.Reason.INVALID_CHARACTER;
import static io.sightline.privacy.PrivacyError.Reason.INVALID_VALUE;
import static io.sightline.privacy.PrivacyError.Reason.MISSING_FIELD;
import static io.sightline.privacy.PrivacyError.Reason.TOO_LONG;

/**
 * The person a privacy request is about: one {@code visitor_id} or one {@code user_id}, exactly as events carry
 * it (1 to 128 code points, as ingestion accepts them). {@link #toString()} never shows the id, so a subject can
 * be logged.
 */
public record Subject(Kind kind, String id) {
    static final int MAX_LENGTH = 128;

    /** Which id names the subject; {@link #column()} is also the name of the request field. */
    public enum Kind {
        VISITOR_ID, USER_ID;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Subject {
        String field = kind.column();
        if (id.isEmpty()) {
            throw new PrivacyError(INVALID_VALUE, field + " must not be empty", field);
        }
        if (!StorableText.isStorable(id)) {
            throw new PrivacyError(INVALID_CHARACTER,
                    field + " must not contain U+0000 or unpaired UTF-16 surrogates", field);
        }
        if (id.codePointCount(0, id.length()) > MAX_LENGTH) {
            throw new PrivacyError(TOO_LONG, field + " must be at most " + MAX_LENGTH + " characters", field);
        }
    }

    /** Exactly one of the two must be given (non-null); the error names the field to fix. */
    public static Subject of(String visitorId, String userId) {
        if (visitorId == null && userId == null) {
            throw new PrivacyError(MISSING_FIELD, "send exactly one of visitor_id and user_id", "visitor_id");
        }
        if (visitorId != null && userId != null) {
            throw new PrivacyError(CONFLICTING_FIELDS, "send visitor_id or user_id, not both", "user_id");
        }
        return visitorId != null ? new Subject(Kind.VISITOR_ID, visitorId) : new Subject(Kind.USER_ID, userId);
    }

    /**
     * SHA-256 of the id's UTF-8 bytes, as the audit keeps it. Unsalted on purpose: anyone holding an id can check
     * whether a request was made for it, which is what the audit is for; the hash alone reveals no id.
     */
    public byte[] sha256() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return kind.column() + " sha256:" + HexFormat.of().formatHex(sha256(), 0, 6) + "…";
    }
}
