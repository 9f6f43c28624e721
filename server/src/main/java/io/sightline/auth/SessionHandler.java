package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.Authorizer;
import io.sightline.http.ClientIpResolver;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;
import io.sightline.http.SessionUser;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dashboard's sign-in: log in, who am I, log out, and setting a password through a one-time link. */
public final class SessionHandler {
    private static final List<String> LOGIN_FIELDS = List.of("email", "password");
    private static final List<String> PASSWORD_FIELDS = List.of("token", "password");
    private static final int MAX_BODY = 4 * 1024;

    private final SessionService service;
    private final UserStore users;
    private final AppStore apps;
    private final ClientIpResolver clientIps;
    private final ObjectMapper mapper;
    private final boolean secureCookie;

    /** {@code secureCookie}: the server is reached over https (SIGHTLINE_PUBLIC_URL), so the cookie says Secure. */
    public SessionHandler(SessionService service, UserStore users, AppStore apps, ClientIpResolver clientIps,
                          ObjectMapper mapper, boolean secureCookie) {
        this.service = service;
        this.users = users;
        this.apps = apps;
        this.clientIps = clientIps;
        this.mapper = mapper;
        this.secureCookie = secureCookie;
    }

    public void routes(RouteTable routes) {
        routes.post("/api/v1/session", this::login, Access.PUBLIC);
        routes.get("/api/v1/session", this::show, Access.SESSION);
        routes.delete("/api/v1/session", this::logout, Access.SESSION);
        routes.post("/api/v1/session/password", this::setPassword, Access.PUBLIC);
    }

    public void login(Context ctx) throws SQLException {
        JsonNode body = JsonBody.readObject(ctx, mapper, MAX_BODY, LOGIN_FIELDS);
        String client = clientIps.resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For")).orElse("unknown");
        signedIn(ctx, service.login(text(body, "email"), text(body, "password"), client));
    }

    public void setPassword(Context ctx) throws SQLException {
        JsonNode body = JsonBody.readObject(ctx, mapper, MAX_BODY, PASSWORD_FIELDS);
        signedIn(ctx, service.setPassword(text(body, "token"), text(body, "password")));
    }

    /** Who is signed in, and the apps they may open: every app for an admin. */
    public void show(Context ctx) throws SQLException {
        Map<String, Object> answer = new LinkedHashMap<>();
        var share = Authorizer.shareApp(ctx);
        if (share.isPresent()) {
            answer.put("kind", "share");
            answer.put("user", null);
            answer.put("csrf_token", null);
            answer.put("apps", apps.byId(share.get()).map(app -> List.of(app(app))).orElse(List.of()));
        } else {
            SessionUser session = Authorizer.sessionUser(ctx).orElseThrow();
            User user = users.byId(session.userId()).orElseThrow(() ->
                    ApiException.unauthorized("not_signed_in", "the user no longer exists"));
            List<Map<String, Object>> readable = new ArrayList<>();
            for (App app : apps.list()) {
                if (session.canRead(app.id())) {
                    readable.add(app(app));
                }
            }
            answer.put("kind", "user");
            answer.put("user", user(user));
            answer.put("csrf_token", session.csrfToken());
            answer.put("apps", readable);
        }
        ctx.header("Cache-Control", "no-store").json(answer);
    }

    public void logout(Context ctx) throws SQLException {
        String token = Authorizer.sessionToken(ctx);
        if (token != null) {
            service.logout(token);
        }
        ctx.header("Set-Cookie", cookie("", 0)).status(204);
    }

    private void signedIn(Context ctx, SessionService.SignedIn signedIn) {
        var session = signedIn.session();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user", user(signedIn.user()));
        answer.put("csrf_token", session.csrfToken());
        ctx.header("Set-Cookie", cookie(session.token(), session.maxAge().toSeconds()))
                .header("Cache-Control", "no-store")
                .json(answer);
    }

    private String cookie(String value, long maxAgeSeconds) {
        return Authorizer.SESSION_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (secureCookie ? "; Secure" : "");
    }

    static Map<String, Object> user(User user) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", user.id());
        shown.put("email", user.email());
        shown.put("role", user.role());
        return shown;
    }

    private static Map<String, Object> app(App app) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", app.id());
        shown.put("name", app.name());
        shown.put("time_zone", app.timeZone());
        return shown;
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw ApiException.badRequest("invalid_value", name + " must be a non-empty string", name);
        }
        return value.textValue();
    }
}
