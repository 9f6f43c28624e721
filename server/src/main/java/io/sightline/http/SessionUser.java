package io.sightline.http;

import java.util.Set;

/**
 * Who a dashboard session belongs to, as far as the edge needs to know: enough to decide a route and to check
 * the CSRF token. {@code appIds} lists the apps a viewer may read; an admin reads every app.
 */
public record SessionUser(long userId, boolean admin, Set<Long> appIds, String csrfToken) {
    public SessionUser {
        appIds = Set.copyOf(appIds);
    }

    public boolean canRead(long appId) {
        return admin || appIds.contains(appId);
    }

    /** Never the CSRF token. */
    @Override
    public String toString() {
        return "SessionUser[" + userId + (admin ? ", admin" : ", viewer of " + appIds) + "]";
    }
}
