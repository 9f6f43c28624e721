package io.sightline.auth;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * First start: creates a default app and an admin token when there are none, so a new install can take
 * events and be administered at once. A session advisory lock keeps two instances starting together from
 * both doing it.
 */
public final class Bootstrap {
    private static final long ADVISORY_LOCK_KEY = 0x5167_6874_626f_6f74L;

    /** What the first start created; the admin token is shown once and never again. */
    public record Created(Optional<App> defaultApp, Optional<String> adminToken) {
        public boolean any() {
            return defaultApp.isPresent() || adminToken.isPresent();
        }
    }

    private final DataSource dataSource;
    private final AppStore apps;
    private final AdminTokenStore adminTokens;
    private final int retentionDays;

    /** {@code retentionDays}: the default app's, the server's SIGHTLINE_RETENTION_DAYS. */
    public Bootstrap(DataSource dataSource, AppStore apps, AdminTokenStore adminTokens, int retentionDays) {
        this.dataSource = dataSource;
        this.apps = apps;
        this.adminTokens = adminTokens;
        this.retentionDays = retentionDays;
    }

    public Created run() throws SQLException {
        try (Connection lockHolder = dataSource.getConnection(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK_KEY + ")");
            try {
                Optional<App> app = apps.isEmpty() ? Optional.of(apps.create("default", retentionDays, "UTC")) : Optional.empty();
                Optional<String> token = adminTokens.isEmpty()
                        ? Optional.of(adminTokens.create("created at first start")) : Optional.empty();
                return new Created(app, token);
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK_KEY + ")");
            }
        }
    }
}
