package io.sightline.auth;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * First start: creates a default app and an admin token when there are none, so a new install can take
 * events and be administered at once; and, when there are no dashboard users, an admin user {@value #FIRST_USER}
 * without a password, with a one-time link to set it. A session advisory lock keeps two instances starting together from
 * both doing it.
 */
public final class Bootstrap {
    private static final long ADVISORY_LOCK_KEY = 0x5167_6874_626f_6f74L;

    public static final String FIRST_USER = "admin@localhost";

    /**
     * What the first start created; the admin token and the password link ({@code /setup#<token>}) are shown once
     * and never again.
     */
    public record Created(Optional<App> defaultApp, Optional<String> adminToken, Optional<String> passwordLink) {
        public boolean any() {
            return defaultApp.isPresent() || adminToken.isPresent() || passwordLink.isPresent();
        }
    }

    private final DataSource dataSource;
    private final AppStore apps;
    private final AdminTokenStore adminTokens;
    private final UserStore users;
    private final PasswordLinkStore passwordLinks;
    private final int retentionDays;

    /** {@code retentionDays}: the default app's, the server's SIGHTLINE_RETENTION_DAYS. */
    public Bootstrap(DataSource dataSource, AppStore apps, AdminTokenStore adminTokens, UserStore users,
                     PasswordLinkStore passwordLinks, int retentionDays) {
        this.dataSource = dataSource;
        this.apps = apps;
        this.adminTokens = adminTokens;
        this.users = users;
        this.passwordLinks = passwordLinks;
        this.retentionDays = retentionDays;
    }

    public Created run() throws SQLException {
        try (Connection lockHolder = dataSource.getConnection(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK_KEY + ")");
            try {
                Optional<App> app = apps.isEmpty() ? Optional.of(apps.create("default", retentionDays, "UTC")) : Optional.empty();
                Optional<String> token = adminTokens.isEmpty()
                        ? Optional.of(adminTokens.create("created at first start")) : Optional.empty();
                Optional<String> link = Optional.empty();
                if (users.isEmpty()) {
                    User admin = users.create(FIRST_USER, User.ADMIN, List.of());
                    link = Optional.of(PasswordLinkStore.path(passwordLinks.create(admin.id())));
                }
                return new Created(app, token, link);
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK_KEY + ")");
            }
        }
    }
}
