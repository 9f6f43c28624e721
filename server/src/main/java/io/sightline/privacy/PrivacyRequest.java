package io.sightline.privacy;

import java.time.Instant;
import java.util.Locale;

/**
 * One row of the privacy audit as the API lists it: the subject only as the hex SHA-256 of its id.
 * {@code completedAt} is null for a request that is running or did not finish. {@code actor} is an
 * {@code admin_tokens.id} or a {@code users.id}, as {@code actorKind} ({@code admin_token}, {@code user}) says.
 */
public record PrivacyRequest(long id, long appId, String action, String subjectKind, String subjectHash, long actor,
                             String actorKind, Instant requestedAt, Instant completedAt, Long rowCount) {

    /** What was asked for: access (article 15) or erasure (article 17). */
    public enum Action {
        EXPORT, DELETE;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
