package io.sightline.http;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the credentials a route's {@link Access} asks for; the app of a write key, or who is acting, is put on
 * the context. The credentials are looked up through the small interfaces beside it, which the feature owning
 * them implements, so the edge knows no store. A request with {@code Authorization: Bearer} is judged by that
 * token alone; otherwise the dashboard's session cookie is tried, and a cookie that changes something must come
 * with its session's CSRF token and from no other origin.
 */
public final class Authorizer {
    /** The dashboard session cookie's name. */
    public static final String SESSION_COOKIE = "sightline_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String APP_ATTRIBUTE = "sightline.app";
    private static final String ACTOR_ATTRIBUTE = "sightline.actor";
    private static final String SESSION_ATTRIBUTE = "sightline.session";
    private static final String SHARE_ATTRIBUTE = "sightline.shareApp";
    /** Share tokens read the dashboard's numbers and nothing else: not the raw export, not administration. */
    private static final String SHARE_READABLE = "/api/v1/apps/{app}/stats/";

    private final WriteKeyLookup<?> writeKeys;
    private final AdminTokenLookup adminTokens;
    private final Optional<String> metricsToken;
    private final ApiTokenLookup apiTokens;
    private final SessionLookup sessions;
    private final ShareLookup shares;
    private final Optional<String> publicOrigin;

    /** {@code publicOrigin}: SIGHTLINE_PUBLIC_URL, the origin a browser's state-changing request may come from. */
    public Authorizer(WriteKeyLookup<?> writeKeys, AdminTokenLookup adminTokens, Optional<String> metricsToken,
                      ApiTokenLookup apiTokens, SessionLookup sessions, ShareLookup shares,
                      Optional<String> publicOrigin) {
        this.writeKeys = writeKeys;
        this.adminTokens = adminTokens;
        this.metricsToken = metricsToken;
        this.apiTokens = apiTokens;
        this.sessions = sessions;
        this.shares = shares;
        this.publicOrigin = publicOrigin;
    }

    public void check(Context ctx) throws SQLException {
        Set<?> roles = ctx.routeRoles();
        if (roles.isEmpty() || roles.contains(Access.PUBLIC)) {
            return;
        }
        if (roles.contains(Access.WRITE_KEY)) {
            String key = writeKey(ctx);
            if (key == null) {
                throw ApiException.unauthorized("missing_write_key",
                        "send the app's write key in the X-Write-Key header or as the HTTP Basic user");
            }
            Object app = writeKeys.authenticate(key).orElseThrow(() ->
                    ApiException.unauthorized("invalid_write_key", "the write key is not valid"));
            ctx.attribute(APP_ATTRIBUTE, app);
        } else if (roles.contains(Access.WRITE_KEY_OR_BODY)) {
            String key = writeKey(ctx);
            if (key != null) {
                Object app = writeKeys.authenticate(key).orElseThrow(() ->
                        ApiException.unauthorized("invalid_write_key", "the write key is not valid"));
                ctx.attribute(APP_ATTRIBUTE, app);
            }
        } else if (roles.contains(Access.ADMIN)) {
            requireAdministrator(ctx);
        } else if (roles.contains(Access.STATS)) {
            requireStatsReader(ctx);
        } else if (roles.contains(Access.SESSION)) {
            requireSignedIn(ctx);
        } else if (roles.contains(Access.METRICS)) {
            String token = bearer(ctx);
            if (token != null && metricsToken.isPresent() && constantTimeEquals(token, metricsToken.get())) {
                return;
            }
            requireAdmin(token);
        }
    }

    /**
     * The app whose write key authorised this {@link Access#WRITE_KEY} request, as the {@link WriteKeyLookup}
     * returned it; the caller names its type.
     */
    public static <A> A app(Context ctx) {
        return ctx.attribute(APP_ATTRIBUTE);
    }

    /** Who authorised this {@link Access#ADMIN} request: an admin token or a signed-in admin user. */
    public static Actor actor(Context ctx) {
        Actor actor = ctx.attribute(ACTOR_ATTRIBUTE);
        if (actor == null) {
            throw new IllegalStateException("the actor is only known on routes declared Access.ADMIN");
        }
        return actor;
    }

    /** The signed-in user whose cookie authorised this request; empty for bearer tokens. */
    public static Optional<SessionUser> sessionUser(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION_ATTRIBUTE));
    }

    /** The app of the share token that authorised this request; empty for anything else. */
    public static Optional<Long> shareApp(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SHARE_ATTRIBUTE));
    }

    /** The session cookie's value, as sent; null without one. */
    public static String sessionToken(Context ctx) {
        String token = ctx.cookie(SESSION_COOKIE);
        return token == null || token.isEmpty() || token.length() > 128 ? null : token;
    }

    private void requireAdministrator(Context ctx) throws SQLException {
        String token = bearer(ctx);
        if (token == null && sessionToken(ctx) != null) {
            SessionUser user = requireSession(ctx);
            if (!user.admin()) {
                throw forbidden("administration is for admin users");
            }
            ctx.attribute(ACTOR_ATTRIBUTE, Actor.user(user.userId()));
            return;
        }
        ctx.attribute(ACTOR_ATTRIBUTE, Actor.adminToken(requireAdmin(token)));
    }

    private long requireAdmin(String token) throws SQLException {
        if (token == null) {
            throw ApiException.unauthorized("missing_token", "send an admin token as Authorization: Bearer <token>");
        }
        return adminTokens.find(token).orElseThrow(() ->
                ApiException.unauthorized("invalid_token", "the token is not valid for this route"));
    }

    /** An API token or share token of the app in the path, an admin token, or a session that may read the app. */
    private void requireStatsReader(Context ctx) throws SQLException {
        String token = bearer(ctx);
        if (token == null && sessionToken(ctx) != null) {
            SessionUser user = requireSession(ctx);
            if (!user.canRead(JsonBody.appId(ctx))) {
                throw forbidden("this user may not read that app");
            }
            return;
        }
        if (token == null) {
            throw ApiException.unauthorized("missing_token",
                    "send an API token of this app as Authorization: Bearer <token>; a write key cannot read");
        }
        if (token.startsWith(apiTokens.prefix())) {
            long tokenApp = apiTokens.appOf(token).orElseThrow(() ->
                    ApiException.unauthorized("invalid_token", "the token is not valid (unknown or revoked)"));
            if (tokenApp != JsonBody.appId(ctx)) {
                throw forbidden("this API token belongs to another app");
            }
            return;
        }
        if (token.startsWith(shares.prefix())) {
            long shareApp = requireShare(ctx, token);
            if (!ctx.endpoints().matchedHttpEndpoint().path.startsWith(SHARE_READABLE)) {
                throw forbidden("a share link reads the dashboard's stats only");
            }
            if (shareApp != JsonBody.appId(ctx)) {
                throw forbidden("this share link belongs to another app");
            }
            return;
        }
        ctx.attribute(ACTOR_ATTRIBUTE, Actor.adminToken(requireAdmin(token)));
    }

    /** A session cookie or a share token: who is signed in, for the page to know what it may show. */
    private void requireSignedIn(Context ctx) throws SQLException {
        String token = bearer(ctx);
        if (token != null && token.startsWith(shares.prefix())) {
            requireShare(ctx, token);
            return;
        }
        if (token == null && sessionToken(ctx) != null) {
            requireSession(ctx);
            return;
        }
        throw ApiException.unauthorized("not_signed_in", "sign in, or open a share link");
    }

    /** A live share token, for reading (GET, HEAD) only; its app is put on the context. */
    private long requireShare(Context ctx, String token) throws SQLException {
        long app = shares.appOf(token).orElseThrow(() ->
                ApiException.unauthorized("invalid_token", "the share link is not valid (unknown or revoked)"));
        if (!isRead(ctx)) {
            throw forbidden("a share link can only read");
        }
        ctx.attribute(SHARE_ATTRIBUTE, app);
        return app;
    }

    /**
     * The live session of the cookie; for anything but a read, also the session's CSRF token in
     * {@value #CSRF_HEADER} and no Origin but this server's: a cookie is sent by the browser whoever made the page
     * that asks, so only a page that could read the token (ours) may change anything with it.
     */
    private SessionUser requireSession(Context ctx) throws SQLException {
        SessionUser user = sessions.find(sessionToken(ctx)).orElseThrow(() ->
                ApiException.unauthorized("not_signed_in", "the session has ended or is not valid; sign in again"));
        if (!isRead(ctx)) {
            String origin = ctx.header("Origin");
            if (origin != null && !sameOrigin(ctx, origin)) {
                throw new ApiException(403, "csrf_failed", "the request comes from another site", "Origin");
            }
            String csrf = ctx.header(CSRF_HEADER);
            if (csrf == null || !constantTimeEquals(csrf, user.csrfToken())) {
                throw new ApiException(403, "csrf_failed",
                        "send the session's csrf_token in the " + CSRF_HEADER + " header", CSRF_HEADER);
            }
        }
        ctx.attribute(SESSION_ATTRIBUTE, user);
        return user;
    }

    /** The configured public origin, or the origin of the Host the request was sent to (either scheme). */
    private boolean sameOrigin(Context ctx, String origin) {
        String claimed = origin.trim().toLowerCase(Locale.ROOT);
        if (publicOrigin.isPresent() && publicOrigin.get().equals(claimed)) {
            return true;
        }
        String host = ctx.header("Host");
        if (host == null || host.isBlank()) {
            return false;
        }
        String authority = host.trim().toLowerCase(Locale.ROOT);
        return claimed.equals("http://" + authority) || claimed.equals("https://" + authority);
    }

    private static boolean isRead(Context ctx) {
        String method = ctx.method().name();
        return method.equals("GET") || method.equals("HEAD");
    }

    private static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null);
    }
    private static String writeKey(Context ctx) {
        String header = ctx.header("X-Write-Key");
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String user = colon < 0 ? decoded : decoded.substring(0, colon);
                return user.isEmpty() ? null : user;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static String bearer(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
