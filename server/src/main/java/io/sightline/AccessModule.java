package io.sightline;

import io.sightline.auth.AdminTokenStore;
import io.sightline.auth.ApiTokenHandler;
import io.sightline.auth.ApiTokenStore;
import io.sightline.auth.AppAdminHandler;
import io.sightline.auth.AppStore;
import io.sightline.auth.Bootstrap;
import io.sightline.auth.LoginLimiter;
import io.sightline.auth.PasswordHasher;
import io.sightline.auth.PasswordLinkStore;
import io.sightline.auth.SessionHandler;
import io.sightline.auth.SessionService;
import io.sightline.auth.SessionStore;
import io.sightline.auth.ShareLinkHandler;
import io.sightline.auth.ShareLinkStore;
import io.sightline.auth.UserHandler;
import io.sightline.auth.UserService;
import io.sightline.auth.UserStore;
import io.sightline.auth.WriteKeyAuthenticator;
import io.sightline.http.Authorizer;
import io.sightline.http.ClientIpResolver;
import io.sightline.http.Routes;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Apps and credentials (the {@code auth} feature): the stores, the first-start bootstrap, the admin routes for
 * apps, API tokens, dashboard users and share links, the dashboard's sign-in, and the {@link Authorizer} every
 * route goes through.
 */
final class AccessModule {
    /** How long a write key's app is remembered before it is looked up again (a rotated key dies within it). */
    private static final Duration WRITE_KEY_CACHE = Duration.ofSeconds(10);
    /** Failed sign-ins allowed per email and per client address within the window (then 429 until it ends). */
    private static final Duration LOGIN_WINDOW = Duration.ofMinutes(15);
    private static final int LOGINS_PER_EMAIL = 5;
    private static final int LOGINS_PER_CLIENT = 20;

    final AppStore apps;
    final Bootstrap.Created created;
    final Authorizer authorizer;
    /**
     * The one write-key cache (a rotation forgets the old key in it): Segment's clients and the web tracker may send
     * the key in the body, which only their handlers read, and check it with this.
     */
    final WriteKeyAuthenticator writeKeys;
    private final AppAdminHandler appHandler;
    private final ApiTokenHandler apiTokenHandler;
    private final Routes dashboardRoutes;

    private AccessModule(AppStore apps, Bootstrap.Created created, Authorizer authorizer, WriteKeyAuthenticator writeKeys,
                         AppAdminHandler appHandler, ApiTokenHandler apiTokenHandler, Routes dashboardRoutes) {
        this.apps = apps;
        this.created = created;
        this.authorizer = authorizer;
        this.writeKeys = writeKeys;
        this.appHandler = appHandler;
        this.apiTokenHandler = apiTokenHandler;
        this.dashboardRoutes = dashboardRoutes;
    }

    static AccessModule build(Shared shared) throws SQLException {
        var dataSource = shared.database().dataSource();
        int retentionDays = shared.config().rollup().retentionDays();
        AppStore apps = new AppStore(dataSource);
        AdminTokenStore adminTokens = new AdminTokenStore(dataSource);
        ApiTokenStore apiTokens = new ApiTokenStore(dataSource, shared.clock());
        UserStore users = new UserStore(dataSource);
        PasswordLinkStore passwordLinks = new PasswordLinkStore(dataSource, shared.clock());
        SessionStore sessions = new SessionStore(dataSource, shared.clock(), shared.config().dashboard().sessionTtl());
        ShareLinkStore shareLinks = new ShareLinkStore(dataSource, shared.clock());
        Bootstrap.Created created = new Bootstrap(dataSource, apps, adminTokens, users, passwordLinks, retentionDays).run();
        WriteKeyAuthenticator writeKeys = new WriteKeyAuthenticator(apps, shared.clock(), WRITE_KEY_CACHE);
        var publicUrl = shared.config().dashboard().publicUrl();
        Authorizer authorizer = new Authorizer(writeKeys, adminTokens, shared.config().http().metricsToken(), apiTokens,
                sessions, shareLinks, publicUrl.map(Object::toString));
        SessionService signIn = new SessionService(users, sessions, passwordLinks, new PasswordHasher(),
                new LoginLimiter(shared.clock(), LOGIN_WINDOW, LOGINS_PER_EMAIL, LOGINS_PER_CLIENT));
        boolean https = publicUrl.map(url -> url.getScheme().equals("https")).orElse(false);
        SessionHandler sessionHandler = new SessionHandler(signIn, users, apps,
                new ClientIpResolver(shared.config().ingest().trustedProxies()), shared.mapper(), https);
        UserHandler userHandler = new UserHandler(new UserService(users, passwordLinks), shared.mapper());
        ShareLinkHandler shareHandler = new ShareLinkHandler(shareLinks, apps, shared.mapper());
        return new AccessModule(apps, created, authorizer, writeKeys,
                new AppAdminHandler(apps, writeKeys, shared.mapper(), retentionDays),
                new ApiTokenHandler(apiTokens, apps, shared.mapper()),
                table -> {
                    sessionHandler.routes(table);
                    userHandler.routes(table);
                    shareHandler.routes(table);
                });
    }

    Routes routes() {
        return table -> {
            appHandler.routes(table);
            apiTokenHandler.routes(table);
            dashboardRoutes.addTo(table);
        };
    }
}
