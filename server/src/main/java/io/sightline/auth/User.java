package io.sightline.auth;

import java.time.Instant;
import java.util.List;

/** A dashboard user as listed: never the password hash, only whether there is one. */
public record User(long id, String email, String role, List<Long> appIds, boolean hasPassword, Instant createdAt) {
    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    public boolean admin() {
        return ADMIN.equals(role);
    }
}
