package io.sightline;

import io.sightline.auth.AdminTokenStore;
import io.sightline.auth.ApiTokenHandler;
import io.sightline.auth.ApiTokenStore;
import io.sightline.auth.AppAdminHandler;
import io.sightline.auth.AppStore;
import io.sightline.auth.Bootstrap;
import io.sightline.auth.WriteKeyAuthenticator;
import io.sightline.http.Authorizer;
import io.sightline.http.Routes;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Apps and credentials (the {@code auth} feature): the stores, the first-start bootstrap, the admin routes for
 * apps and API tokens, and the {@link Authorizer} every route goes through.
 */
final class AccessModule {
    /** How long a write key's app is remembered before it is looked up again (a rotated key dies within it). */
    private static final Duration WRITE_KEY_CACHE = Duration.ofSeconds(10);

    final AppStore apps;
    final Bootstrap.Created created;
    final Authorizer authorizer;
    private final AppAdminHandler appHandler;
    private final ApiTokenHandler apiTokenHandler;

    private AccessModule(AppStore apps, Bootstrap.Created created, Authorizer authorizer, AppAdminHandler appHandler,
                         ApiTokenHandler apiTokenHandler) {
        this.apps = apps;
        this.created = created;
        this.authorizer = authorizer;
        this.appHandler = appHandler;
        this.apiTokenHandler = apiTokenHandler;
    }

    static AccessModule build(Shared shared) throws SQLException {
        var dataSource = shared.database().dataSource();
        int retentionDays = shared.config().rollup().retentionDays();
        AppStore apps = new AppStore(dataSource);
        AdminTokenStore adminTokens = new AdminTokenStore(dataSource);
        ApiTokenStore apiTokens = new ApiTokenStore(dataSource, shared.clock());
        Bootstrap.Created created = new Bootstrap(dataSource, apps, adminTokens, retentionDays).run();
        WriteKeyAuthenticator writeKeys = new WriteKeyAuthenticator(apps, shared.clock(), WRITE_KEY_CACHE);
        Authorizer authorizer = new Authorizer(writeKeys, adminTokens, shared.config().http().metricsToken(), apiTokens);
        return new AccessModule(apps, created, authorizer,
                new AppAdminHandler(apps, writeKeys, shared.mapper(), retentionDays),
                new ApiTokenHandler(apiTokens, apps, shared.mapper()));
    }

    Routes routes() {
        return table -> {
            appHandler.routes(table);
            apiTokenHandler.routes(table);
        };
    }
}
