package io.sightline.bench.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.bench.stats.ApiClient;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The person who signs in: a viewer of the measured app, made through the admin API, whose password is set through
 * its one-time link as the setup page would. Its password is never printed.
 */
final class DashboardUser {
    static final String EMAIL = "bench-viewer@localhost";

    private final String password;

    DashboardUser(String password) {
        this.password = password;
    }

    static DashboardUser create(ApiClient api, String adminToken, long app) throws Exception {
        ApiClient.Answer created = api.post(DashboardPages.USERS, adminToken, DashboardPages.viewerBody(EMAIL, app));
        if (created.status() != 201) {
            throw new IllegalStateException("POST " + DashboardPages.USERS + " answered " + created.status()
                    + (created.status() == 404 ? " (this server has no dashboard users yet: is issue 16's session"
                    + " backend merged?)" : "") + ": " + ApiClient.excerpt(created.body()));
        }
        String token = DashboardPages.linkToken(created.json(new ObjectMapper()));
        if (token == null) {
            throw new IllegalStateException("POST " + DashboardPages.USERS + " answered no password_link /setup#<token>");
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiClient.Answer set = api.post(DashboardPages.SET_PASSWORD, null, DashboardPages.passwordBody(token, password));
        if (set.status() != 200) {
            throw new IllegalStateException("POST " + DashboardPages.SET_PASSWORD + " answered " + set.status() + ": "
                    + ApiClient.excerpt(set.body()));
        }
        return new DashboardUser(password);
    }

    String email() {
        return EMAIL;
    }

    String password() {
        return password;
    }

    @Override
    public String toString() {
        return EMAIL;
    }
}
