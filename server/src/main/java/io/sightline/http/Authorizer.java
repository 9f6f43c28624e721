package io.sightline.http;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the credentials a route's {@link Access} asks for; the app of a write key, or the id of an admin
 * token, is put on the context. The credentials are looked up through the small interfaces beside it, which the
 * feature owning them implements, so the edge knows no store.
 */
public final class Authorizer {
    private static final String APP_ATTRIBUTE = "sightline.app";
    private static final String ADMIN_TOKEN_ATTRIBUTE = "sightline.adminTokenId";

    private final WriteKeyLookup<?> writeKeys;
    private final AdminTokenLookup adminTokens;
    private final Optional<String> metricsToken;
    private final ApiTokenLookup apiTokens;

    public Authorizer(WriteKeyLookup<?> writeKeys, AdminTokenLookup adminTokens, Optional<String> metricsToken,
                      ApiTokenLookup apiTokens) {
        this.writeKeys = writeKeys;
        this.adminTokens = adminTokens;
        this.metricsToken = metricsToken;
        this.apiTokens = apiTokens;
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
        } else if (roles.contains(Access.ADMIN)) {
            ctx.attribute(ADMIN_TOKEN_ATTRIBUTE, requireAdmin(bearer(ctx)));
        } else if (roles.contains(Access.STATS)) {
            requireStatsReader(ctx);
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

    /** The id ({@code admin_tokens.id}) of the admin token that authorised this {@link Access#ADMIN} request. */
    public static long adminTokenId(Context ctx) {
        Long id = ctx.attribute(ADMIN_TOKEN_ATTRIBUTE);
        if (id == null) {
            throw new IllegalStateException("adminTokenId is only known on routes declared Access.ADMIN");
        }
        return id;
    }

    private long requireAdmin(String token) throws SQLException {
        if (token == null) {
            throw ApiException.unauthorized("missing_token", "send an admin token as Authorization: Bearer <token>");
        }
        return adminTokens.find(token).orElseThrow(() ->
                ApiException.unauthorized("invalid_token", "the token is not valid for this route"));
    }

    /** An API token of the app in the path, or an admin token. */
    private void requireStatsReader(Context ctx) throws SQLException {
        String token = bearer(ctx);
        if (token == null) {
            throw ApiException.unauthorized("missing_token",
                    "send an API token of this app as Authorization: Bearer <token>; a write key cannot read");
        }
        if (token.startsWith(apiTokens.prefix())) {
            long tokenApp = apiTokens.appOf(token).orElseThrow(() ->
                    ApiException.unauthorized("invalid_token", "the token is not valid (unknown or revoked)"));
            if (tokenApp != JsonBody.appId(ctx)) {
                throw new ApiException(403, "forbidden", "this API token belongs to another app", null);
            }
            return;
        }
        ctx.attribute(ADMIN_TOKEN_ATTRIBUTE, requireAdmin(token));
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
